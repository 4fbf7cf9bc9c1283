import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { ANIMATIONS, shownOf, differingShare, pixelsOf, readable, referenceRender, waitUntil } from '../helpers.js';

const cases = [
  { file: 'dalek.json', frame: 17 },
  { file: 'lights.json', frame: 40 },
  { file: 'bodymovin.json', frame: 60 },
  { file: 'ripple.json', frame: 12 },
  { file: 'starfish.json', frame: 100 },
  { file: 'banner.json', frame: 150 },
];

/**
 * Resolves when what `shown` reads no longer shows `before` (what it showed before the seek) and has shown
 * the same pixels for two frames: a worker's canvas updates some frames after it answers, later
 * still on a loaded machine.
 */
async function settled(shown: () => HTMLCanvasElement, before: Uint8ClampedArray): Promise<Uint8ClampedArray> {
  let previous = pixelsOf(shown());
  for (let i = 0; i < 120; i += 1) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = pixelsOf(shown());
    if (differingShare(now, previous, 0) === 0 && differingShare(now, before, 0) > 0) return now;
    previous = now;
  }
  return previous;
}

/**
 * Resolves to what `shown` reads once it shows a picture and has shown the same pixels for three
 * frames: a worker's canvas shows its first frame some frames after the player names it.
 */
async function steady(shown: () => HTMLCanvasElement): Promise<Uint8ClampedArray> {
  let previous = pixelsOf(shown());
  let same = 0;
  for (let i = 0; i < 120; i += 1) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = pixelsOf(shown());
    same = differingShare(now, previous, 0) === 0 && now.some((value) => value !== 0) ? same + 1 : 0;
    if (same >= 3) return now;
    previous = now;
  }
  return previous;
}

const described = {
  auto: 'by the render worker on the stage surface (the default)',
  workers: "by the render worker into the player's canvas",
  main: 'on the main thread',
} as const;

for (const mode of ['auto', 'workers', 'main'] as const) {
  describe(`pixels drawn ${described[mode]}`, () => {
    for (const { file, frame } of cases) {
      // The worker's canvas clips a letterboxed picture's edge row without antialiasing
      // (Chromium's, not ours): the worker is compared in a box of the file's own shape (dalek 16:9, banner 970:250).
      const shapes: Record<string, readonly [number, number]> = { 'dalek.json': [160, 90], 'banner.json': [194, 50] };
      const [width, height] = (mode !== 'main' && shapes[file]) || [120, 90];
      it(`${file} at frame ${frame} matches plain lottie-web's canvas renderer (${width}x${height})`, async () => {
        const url = `${ANIMATIONS}/${file}`;
        // A fixed rate: the adaptive default may lower the pixel ratio on a loaded machine, which is not what is compared here.
        const stage = await fixture<LottieSyncStage>(
          html`<lottie-sync-stage fps="60" render=${mode}>
            <lottie-sync-player src=${url} style=${`width:${width}px;height:${height}px`}></lottie-sync-player>
          </lottie-sync-stage>`,
        );
        const player = stage.querySelector<LottieSyncPlayer>('lottie-sync-player')!;
        await waitUntil(() => player.currentFrame === 0, 'first frame', { timeout: 20000 });
        // banner.json's text layers are drawn from its glyph outlines (no font is measured): in the worker too.
        // lights, ripple and starfish have expressions: they are drawn in the sandbox realm, in either mode, and
        // shown on a render worker's canvas (with workers) or a page canvas (render="main").
        const sandboxed = ['lights.json', 'ripple.json', 'starfish.json'].includes(file);
        const inWorker = mode !== 'main';
        expect(stage.metrics.workers, 'render workers').to.equal(inWorker ? 1 : 0);
        expect(stage.metrics.playersSandboxed, 'players in the sandbox').to.equal(sandboxed ? 1 : 0);
        // The first frame as it is on screen: compared against, so that a late first picture is not taken for the seek's.
        const shown = () => shownOf(player)!;
        const before = await steady(shown);
        stage.seekToFrame(frame);
        await waitUntil(() => player.currentFrame === frame, `frame ${frame}`, { timeout: 5000 });
        const ours = await settled(shown, before);
        const reference = await referenceRender(url, frame, width, height);
        expect(differingShare(ours, reference), 'share of differing pixels').to.be.below(0.01);
        // And the comparison can fail: another frame differs.
        const other = await referenceRender(url, (frame + 7) % player.totalFrames, width, height);
        expect(differingShare(ours, other)).to.be.above(0.001);
        expect(readable(shown()).canvas.width).to.equal(width);
      });
    }
  });
}
