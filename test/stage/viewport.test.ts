import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { BAR, canvasOf, frames, readyOf, waitUntil } from '../helpers.js';

const BOX = 'width:40px;height:40px';

/** 8 players on screen, then 40 far below the viewport (and its 256 px margin). */
async function tallStage(render: 'auto' | 'surface' | 'workers' | 'main') {
  const top = Array.from({ length: 8 }, () => html`<lottie-sync-player class="top" src=${BAR} loop style=${BOX}></lottie-sync-player>`);
  const below = Array.from(
    { length: 40 },
    () => html`<lottie-sync-player class="below" src=${BAR} loop style=${BOX}></lottie-sync-player>`,
  );
  const stage = await fixture<LottieSyncStage>(
    html`<lottie-sync-stage autoplay render=${render}>
      <lottie-sync-player id="fixed" src=${BAR} loop style="${BOX};position:fixed;right:0;top:0"></lottie-sync-player>
      <div>${top}</div>
      <div style="margin-top:300vh">${below}</div>
      <div style="height:300vh"></div>
    </lottie-sync-stage>`,
  );
  await readyOf(stage);
  return {
    stage,
    fixed: stage.querySelector<LottieSyncPlayer>('#fixed')!,
    top: [...stage.querySelectorAll<LottieSyncPlayer>('.top')],
    below: [...stage.querySelectorAll<LottieSyncPlayer>('.below')],
  };
}

const WHERE = { auto: 'into the stage surface (the default)', workers: 'in a worker', main: 'on the main thread' } as const;

for (const render of ['auto', 'workers', 'main'] as const) {
  describe(`viewport culling, drawing ${WHERE[render]}`, () => {
    afterEach(() => window.scrollTo(0, 0));

    it('off-screen players hold no canvas and draw nothing', async () => {
      const { stage, top, below } = await tallStage(render);
      await frames(10);
      expect(top.every((p) => p.currentFrame >= 0 && canvasOf(p))).to.equal(true);
      expect(below.every((p) => p.currentFrame === -1 && canvasOf(p) === null)).to.equal(true);
      const { metrics } = stage;
      expect(metrics.playersTotal).to.equal(49);
      expect(metrics.playersVisible).to.equal(9);
      expect(metrics.canvasesLeased).to.equal(9);
      expect(metrics.workers).to.equal(render === 'main' ? 0 : 1);
    });

    it('players scrolled into view draw the current frame first, in sync; those scrolled out give their canvas back', async () => {
      const { stage, fixed, top, below } = await tallStage(render);
      await waitUntil(() => top[0]!.currentFrame > 3, 'plays');
      const firstFrames: [number, number][] = [];
      for (const player of below) {
        player.addEventListener('lottie-sync-load', () => firstFrames.push([player.currentFrame, fixed.currentFrame]), { once: true });
      }
      below[0]!.scrollIntoView();
      await waitUntil(() => below.every((p) => p.currentFrame >= 0), 'the players now on screen draw', { timeout: 5000 });
      await waitUntil(() => top.every((p) => canvasOf(p) === null), 'the players now off screen give their canvas back');
      // Each first frame equals the frame the always-visible player shows at that moment.
      expect(firstFrames.length).to.equal(40);
      expect(
        firstFrames.every(([mine, theirs]) => mine === theirs),
        JSON.stringify(firstFrames),
      ).to.equal(true);
      const { metrics } = stage;
      expect(metrics.playersVisible).to.equal(41);
      expect(metrics.canvasesLeased).to.equal(41);
      expect(metrics.canvasesIdle).to.be.at.most(8);
      expect(below.every((p) => p.currentFrame === below[0]!.currentFrame)).to.equal(true);
    });
  });
}
