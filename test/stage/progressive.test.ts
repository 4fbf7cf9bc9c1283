import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { ANIMATIONS, BAR, frames, playersOf, readyOf, waitUntil } from '../helpers.js';

describe('progressive start', () => {
  for (const src of [BAR, `${ANIMATIONS}/dalek.json`]) {
    // How long the start's tasks take is measured by the benchmark ("longest task from start"), not
    // asserted here: this checks what makes it short, that the players appear over many frames.
    it(`starts 300 players of ${src.split('/').pop()} added at once in batches, at most 16 new canvases a frame, all on one frame`, async () => {
      const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage autoplay loop></lottie-sync-stage>`);
      await frames(2);
      // The frame (rAF count) in which each player showed its first frame.
      let frame = 0;
      let counting = true;
      const count = () => {
        frame += 1;
        if (counting) requestAnimationFrame(count);
      };
      requestAnimationFrame(count);
      const firstShown: number[] = [];
      const fragment = document.createDocumentFragment();
      for (let i = 0; i < 300; i += 1) {
        const player = document.createElement('lottie-sync-player');
        player.src = src;
        player.style.cssText = 'width:24px;height:24px';
        player.addEventListener('lottie-sync-load', () => firstShown.push(frame), { once: true });
        fragment.append(player);
      }
      stage.append(fragment);
      await readyOf(stage);
      await frames(3);
      counting = false;
      expect(firstShown).to.have.length(300);
      const perFrame = new Map<number, number>();
      for (const at of firstShown) perFrame.set(at, (perFrame.get(at) ?? 0) + 1);
      expect(Math.max(...perFrame.values()), 'new canvases shown in one frame').to.be.at.most(16);
      expect(perFrame.size, 'frames over which they appear').to.be.at.least(300 / 16);
      const shown = new Set(playersOf(stage).map((p) => p.currentFrame));
      expect(shown.size, 'all 300 show one frame').to.equal(1);
      await waitUntil(() => playersOf(stage)[0]!.currentFrame !== [...shown][0], 'and play');
    });
  }
});
