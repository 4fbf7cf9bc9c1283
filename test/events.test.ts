import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../src/define.js';
import { LottieSyncEvent } from '../src/events.js';
import type { LottieSyncStage } from '../src/stage/lottie-sync-stage.js';
import { BAR, withWarnings } from './helpers.js';

/** What a no-build page reads (`$event.detail` in Alpine.js, htmx, Vue) equals the typed fields. */
function detailMatches(event: Event, fields: string[]): void {
  expect(event).to.be.instanceOf(CustomEvent);
  expect(event).to.be.instanceOf(LottieSyncEvent);
  expect(event.bubbles && event.composed, `${event.type} bubbles and is composed`).to.equal(true);
  const detail = (event as CustomEvent<Record<string, unknown>>).detail;
  for (const field of fields) {
    expect(detail[field], `${event.type} detail.${field}`).to.not.equal(undefined);
    expect(detail[field]).to.equal((event as unknown as Record<string, unknown>)[field]);
  }
}

describe('events carry their fields in detail too', () => {
  it('every lottie-sync-* event of the stage and the player', async () => {
    await withWarnings(async () => {
      const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage tiers="1:60 *:30"></lottie-sync-stage>`);
      const player = document.createElement('lottie-sync-player');
      player.src = BAR;
      player.style.cssText = 'width:20px;height:20px';
      const ready = oneEvent(stage, 'lottie-sync-ready');
      const load = oneEvent(player, 'lottie-sync-load');
      stage.append(player);
      detailMatches(await ready, ['loaded', 'failed']);
      detailMatches(await load, ['src', 'frame', 'totalFrames']);
      for (const [type, act] of [
        ['lottie-sync-play', () => stage.play()],
        ['lottie-sync-pause', () => stage.pause()],
        ['lottie-sync-seek', () => stage.seek(0.5)],
        ['lottie-sync-ratechange', () => (stage.speed = 2)],
      ] as const) {
        const event = oneEvent(stage, type);
        act();
        detailMatches(await event, ['currentTime', 'playbackRate', 'paused']);
      }
      const tier = oneEvent(stage, 'lottie-sync-tierchange');
      stage.append(player.cloneNode());
      detailMatches(await tier, ['fps', 'source', 'previousFps']);
      detailMatches(await oneEvent(stage, 'lottie-sync-metrics'), ['metrics']);
      const error = oneEvent(stage, 'lottie-sync-error');
      const bad = document.createElement('lottie-sync-player');
      bad.src = '/test/fixtures/missing.json';
      stage.append(bad);
      detailMatches(await error, ['code', 'message', 'src', 'fatal', 'status']);
    });
  });
});
