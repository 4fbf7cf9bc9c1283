import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { ANIMATIONS, BAR, frames, playersOf, readyOf } from '../helpers.js';

function watchLongTasks(): { stop(): PerformanceEntry[] } {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  return {
    stop() {
      seen.push(...observer.takeRecords());
      observer.disconnect();
      return seen;
    },
  };
}

describe('progressive start', () => {
  for (const src of [BAR, `${ANIMATIONS}/dalek.json`]) {
    it(`starts 300 players of ${src.split('/').pop()} added at once in batches, with no long task over 50 ms`, async () => {
      const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage autoplay loop></lottie-sync-stage>`);
      await frames(2);
      // Collect the garbage of earlier tests now, so that a collection of theirs is not counted here.
      (globalThis as { gc?: () => void }).gc?.();
      await frames(2);
      const watch = watchLongTasks();
      const started = performance.now();
      const fragment = document.createDocumentFragment();
      for (let i = 0; i < 300; i += 1) {
        const player = document.createElement('lottie-sync-player');
        player.src = src;
        player.style.cssText = 'width:24px;height:24px';
        fragment.append(player);
      }
      stage.append(fragment);
      await readyOf(stage);
      await frames(3);
      const longTasks = watch.stop().filter((task) => task.startTime >= started);
      expect(
        longTasks.map((task) => Math.round(task.duration)),
        'long tasks (ms)',
      ).to.satisfy((durations: number[]) => durations.every((d) => d <= 50));
      const shown = new Set(playersOf(stage).map((p) => p.currentFrame));
      expect(shown.size, 'all 300 show one frame').to.equal(1);
      await waitUntil(() => playersOf(stage)[0]!.currentFrame !== [...shown][0], 'and play');
    });
  }
});
