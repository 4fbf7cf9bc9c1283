import { expect } from '@open-wc/testing';
import type { LottieSyncPlayer } from '../src/player/lottie-sync-player.js';
import { barFrameOn, barWithExpression, pixelsOf, shownOf, waitUntil } from './helpers.js';

/** The same test server under another origin: localhost and 127.0.0.1 are different origins. */
function otherOrigin(): string {
  const other = location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  return `${location.protocol}//${other}:${location.port}`;
}

// The CDN build as a no-build page loads it: one module with lit and
// lottie-web inside, from another origin (as from a CDN). This file imports
// nothing from src/, so its page has only the bundle's elements.
describe('CDN bundle', () => {
  it('defines both elements and plays from a plain module script on another origin, drawing in its inline worker', async () => {
    const script = document.createElement('script');
    script.type = 'module';
    script.src = `${otherOrigin()}/dist/cdn/lottie-sync.js`;
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
    });
    document.head.append(script);
    await loaded;
    document.body.insertAdjacentHTML(
      'beforeend',
      `<lottie-sync-stage autoplay loop>
        <lottie-sync-player src="/node_modules/lottie-web/test/animations/dalek.json"></lottie-sync-player>
        <lottie-sync-player src="/node_modules/lottie-web/test/animations/dalek.json"></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    const stage = document.querySelector('lottie-sync-stage') as HTMLElement & { metrics: { workers: number } };
    const players = [...document.querySelectorAll('lottie-sync-player')] as (HTMLElement & { currentFrame: number })[];
    await waitUntil(() => players.every((p) => p.currentFrame > 2), 'plays', { timeout: 10000 });
    expect(players[0]!.currentFrame).to.equal(players[1]!.currentFrame);
    for (const name of ['lottie-sync-stage', 'lottie-sync-player', 'lottie-sync-group']) {
      expect(customElements.get(name), name).to.not.equal(undefined);
    }
    // A worker cannot be started from another origin's URL: the bundle's worker runs from a blob.
    expect(stage.metrics.workers).to.equal(1);
    // What the page shows where the first player is (by default a tile of the stage's surface).
    const painted = () => {
      const shown = shownOf(players[0] as unknown as LottieSyncPlayer);
      if (!shown || shown.width === 0) return 0;
      const data = pixelsOf(shown);
      let count = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) count += 1;
      return count;
    };
    await waitUntil(() => painted() > 100, 'pixels drawn by the worker');
  });

  it('draws a file with expressions in the sandbox, whose code comes as a chunk beside the module when first needed', async () => {
    const src = await barWithExpression();
    const stage = document.querySelector('lottie-sync-stage') as HTMLElement & { metrics: { playersSandboxed: number } };
    const player = document.createElement('lottie-sync-player') as HTMLElement & { src: string; currentFrame: number };
    player.src = src;
    player.style.cssText = 'width:100px;height:100px';
    stage.append(player);
    await waitUntil(() => stage.metrics.playersSandboxed === 1 && player.currentFrame > 2, 'drawn in the sandbox', { timeout: 20000 });
    const chunks = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(
      chunks.some((name) => /\/dist\/cdn\/chunks\/sandbox-backend-[\w-]+\.js$/.test(name)),
      chunks.join('\n'),
    ).to.equal(true);
    await waitUntil(() => barFrameOn(shownOf(player as unknown as LottieSyncPlayer)!) !== null, 'its bar on screen');
  });
});
