import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { ANIMATIONS, canvasOf, differingShare, frames, pixelsOf, referenceRender } from '../helpers.js';

const cases = [
  { file: 'dalek.json', frame: 17 },
  { file: 'lights.json', frame: 40 },
  { file: 'bodymovin.json', frame: 60 },
  { file: 'ripple.json', frame: 12 },
  { file: 'starfish.json', frame: 100 },
  { file: 'banner.json', frame: 150 },
];

describe('pixels', () => {
  for (const { file, frame } of cases) {
    it(`${file} at frame ${frame} matches plain lottie-web's canvas renderer`, async () => {
      const url = `${ANIMATIONS}/${file}`;
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage>
          <lottie-sync-player src=${url} style="width:120px;height:90px"></lottie-sync-player>
        </lottie-sync-stage>`,
      );
      const player = stage.querySelector<LottieSyncPlayer>('lottie-sync-player')!;
      await waitUntil(() => player.currentFrame === 0, 'first frame', { timeout: 20000 });
      stage.seekToFrame(frame);
      await waitUntil(() => player.currentFrame === frame, `frame ${frame}`, { timeout: 5000 });
      await frames(1);
      const ours = pixelsOf(canvasOf(player)!);
      const reference = await referenceRender(url, frame, 120, 90);
      expect(differingShare(ours, reference), 'share of differing pixels').to.be.below(0.01);
      // And the comparison can fail: another frame differs.
      const other = await referenceRender(url, (frame + 7) % player.totalFrames, 120, 90);
      expect(differingShare(ours, other)).to.be.above(0.001);
    });
  }
});
