import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { ANIMATIONS, counted, playersOf, readyOf, requestCount, sampleFrames, waitUntil } from '../helpers.js';

describe('sync on one stage', () => {
  it('fetches a file once for 50 players', async () => {
    const url = counted(`${ANIMATIONS}/dalek.json`);
    const players = Array.from({ length: 50 }, () => html`<lottie-sync-player src=${url}></lottie-sync-player>`);
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage style="--lottie-sync-player-width:24px;--lottie-sync-player-height:24px">${players}</lottie-sync-stage>`,
    );
    await readyOf(stage);
    expect(playersOf(stage).every((p) => p.currentFrame === 0)).to.equal(true);
    expect(await requestCount(url)).to.equal(1);
  });

  it('keeps 50 players of one file and 10 of another on the same frame every tick, at the stage speed', async () => {
    const dalek = Array.from({ length: 50 }, () => html`<lottie-sync-player src=${`${ANIMATIONS}/dalek.json`}></lottie-sync-player>`);
    const lights = Array.from({ length: 10 }, () => html`<lottie-sync-player src=${`${ANIMATIONS}/lights.json`}></lottie-sync-player>`);
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage autoplay loop speed="1.5" style="--lottie-sync-player-width:32px;--lottie-sync-player-height:32px"
        >${dalek}${lights}</lottie-sync-stage
      >`,
    );
    await readyOf(stage);
    const players = playersOf(stage);
    const groups = [players.slice(0, 50), players.slice(50)];
    await waitUntil(() => players.every((p) => p.currentFrame >= 0), 'every player draws', { timeout: 20000 });

    let worstSpread = 0;
    let worst = '';
    const track: { now: number; time: number; frame: number }[] = [];
    const ticks = await sampleFrames(2000, (now) => {
      for (const group of groups) {
        const shown = new Set(group.map((p) => p.currentFrame));
        if (shown.size - 1 > worstSpread)
          worst = `frames ${[...shown].join(', ')} at once (tier ${stage.tier.fps} fps, ${stage.metrics.workers} workers)`;
        worstSpread = Math.max(worstSpread, shown.size - 1);
      }
      track.push({ now, time: stage.currentTime, frame: players[0]!.currentFrame });
    });
    expect(ticks).to.be.greaterThan(10);
    expect(worstSpread, `distinct frames among players of one file: ${worst}`).to.equal(0);

    // The timeline runs at the stage speed, and the frames shown follow it
    // (unwrap the loop; both are read at the same instants, so a slow tick
    // moves both alike).
    const first = players[0]!;
    const total = first.totalFrames;
    const duration = stage.duration;
    let advanced = 0;
    let timeline = 0;
    for (let i = 1; i < track.length; i += 1) {
      advanced += (track[i]!.frame - track[i - 1]!.frame + total) % total;
      timeline += (track[i]!.time - track[i - 1]!.time + duration) % duration;
    }
    const elapsed = (track.at(-1)!.now - track[0]!.now) / 1000;
    expect(timeline / elapsed, 'timeline seconds per second').to.be.closeTo(1.5, 0.15);
    const expected = timeline * first.frameRate;
    // A render worker tells the players what it drew when it answers: the last sample may be a draw or two behind.
    const oneDraw = (first.frameRate * 1.5) / stage.tier.fps;
    expect(Math.abs(advanced - expected), `advanced ${advanced} frames, the timeline ${expected.toFixed(1)}`).to.be.at.most(
      2 + 2 * oneDraw,
    );
  });
});
