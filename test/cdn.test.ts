import { expect, waitUntil } from '@open-wc/testing';

// The CDN build as a no-build page loads it: one module with lit and
// lottie-web inside. This file imports nothing from src/, so its page has only
// the bundle's elements.
describe('CDN bundle', () => {
  it('defines both elements and plays from a plain module script', async () => {
    const script = document.createElement('script');
    script.type = 'module';
    script.src = '/dist/cdn/lottie-sync.js';
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
    const players = [...document.querySelectorAll('lottie-sync-player')] as (HTMLElement & { currentFrame: number })[];
    await waitUntil(() => players.every((p) => p.currentFrame > 2), 'plays', { timeout: 10000 });
    expect(players[0]!.currentFrame).to.equal(players[1]!.currentFrame);
    expect(customElements.get('lottie-sync-stage')).to.not.equal(undefined);
  });
});
