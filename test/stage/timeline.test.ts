import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncTimelineEvent } from '../../src/events.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { BAR, barFrameOn, shownOf, frames, playersOf, readyOf, waitUntil } from '../helpers.js';

const BOX = 'width:100px;height:100px';

async function pausedStage(players: ReturnType<typeof html>) {
  const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage>${players}</lottie-sync-stage>`);
  await readyOf(stage);
  return { stage, players: playersOf(stage) };
}

/**
 * Seeks and returns the frame each player shows, read from its pixels once they show the
 * `expected` frames and agree with what the players report (a worker's canvas shows its frame
 * some frames after the tick, later on a loaded machine), or as they are after 5 s, for the
 * assertion to name what differs.
 */
async function shownAt(
  stage: LottieSyncStage,
  players: LottieSyncPlayer[],
  seconds: number,
  expected: number[],
): Promise<(number | null)[]> {
  stage.seek(seconds);
  await frames(2);
  const shown = () => players.map((p) => barFrameOn(shownOf(p)!));
  await waitUntil(
    () => players.every((p, i) => shown()[i] === p.currentFrame && p.currentFrame === expected[i]),
    'pixels show the reported frame',
    { timeout: 5000 },
  ).catch(() => {});
  return shown();
}

describe('time to frame on real canvases', () => {
  it('shows the frame of the stage time, read from the pixels', async () => {
    const { stage, players } = await pausedStage(html`<lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player>`);
    expect(await shownAt(stage, players, 0, [0])).to.deep.equal([0]);
    expect(await shownAt(stage, players, 13 / 30, [13])).to.deep.equal([13]);
    expect(players[0]!.currentFrame).to.equal(13);
    expect(await shownAt(stage, players, 1 + 2 / 30, [29])).to.deep.equal([29]); // no loop: held at the end
  });

  it('applies loop, direction, bounce, segment and marker per player', async () => {
    const { stage, players } = await pausedStage(
      html` <lottie-sync-player src=${BAR} loop style=${BOX}></lottie-sync-player>
        <lottie-sync-player src=${BAR} loop direction="reverse" style=${BOX}></lottie-sync-player>
        <lottie-sync-player src=${BAR} loop mode="bounce" style=${BOX}></lottie-sync-player>
        <lottie-sync-player src=${BAR} loop segment="10 20" style=${BOX}></lottie-sync-player>
        <lottie-sync-player src=${BAR} loop marker="outro" style=${BOX}></lottie-sync-player>`,
    );
    expect(await shownAt(stage, players, 5 / 30, [5, 24, 5, 15, 25])).to.deep.equal([5, 24, 5, 15, 25]);
    expect(await shownAt(stage, players, 35 / 30, [5, 24, 24, 15, 25])).to.deep.equal([5, 24, 24, 15, 25]);
    expect(players[3]!.totalFrames).to.equal(10);
    expect(players[4]!.duration).to.be.closeTo(1 / 3, 1e-9);
  });

  it('follows the stage loop unless the player sets its own', async () => {
    const { stage, players } = await pausedStage(
      html` <lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player>
        <lottie-sync-player src=${BAR} loop="false" style=${BOX}></lottie-sync-player>`,
    );
    stage.loop = true;
    await stage.updateComplete;
    expect(await shownAt(stage, players, 32 / 30, [2, 29])).to.deep.equal([2, 29]);
  });
});

describe('stage controls', () => {
  it('plays, pauses, seeks and changes rate with events', async () => {
    const { stage, players } = await pausedStage(html`<lottie-sync-player src=${BAR} loop style=${BOX}></lottie-sync-player>`);
    expect(stage.paused).to.equal(true);
    const played = oneEvent(stage, 'lottie-sync-play');
    stage.play();
    await played;
    await waitUntil(() => players[0]!.currentFrame > 3, 'advances');
    const paused = (await Promise.all([oneEvent(stage, 'lottie-sync-pause'), stage.pause()]))[0] as unknown as LottieSyncTimelineEvent;
    expect(paused.paused).to.equal(true);
    // The paused position's frame is drawn; from then on nothing moves.
    const held = Math.min(29, Math.floor(stage.currentTime * 30 + 1e-6));
    await waitUntil(() => players[0]!.currentFrame === held, 'shows the paused frame');
    await frames(5);
    expect(players[0]!.currentFrame).to.equal(held);
    const sought = oneEvent(stage, 'lottie-sync-seek');
    stage.currentTime = 20 / 30;
    expect(((await sought) as unknown as LottieSyncTimelineEvent).currentTime).to.be.closeTo(20 / 30, 1e-9);
    await waitUntil(() => players[0]!.currentFrame === 20);
    const rate = oneEvent(stage, 'lottie-sync-ratechange');
    stage.playbackRate = -1;
    expect(((await rate) as unknown as LottieSyncTimelineEvent).playbackRate).to.equal(-1);
    stage.play();
    await waitUntil(() => players[0]!.currentFrame < 15, 'plays backwards');
    stage.stop();
    expect(stage.currentTime).to.equal(0);
    expect(stage.paused).to.equal(true);
  });

  it('completes without loop, and play starts over', async () => {
    const { stage, players } = await pausedStage(html`<lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player>`);
    expect(stage.duration).to.equal(1);
    stage.speed = 4;
    await stage.updateComplete;
    const completed = oneEvent(stage, 'lottie-sync-complete');
    stage.play();
    await completed;
    expect(stage.paused).to.equal(true);
    expect(stage.currentTime).to.equal(1);
    await frames(2);
    expect(players[0]!.currentFrame).to.equal(29);
    stage.play();
    expect(stage.currentTime).to.be.below(0.2);
  });

  it('seeks by frame and by progress', async () => {
    const { stage, players } = await pausedStage(html`<lottie-sync-player src=${BAR} marker="outro" style=${BOX}></lottie-sync-player>`);
    stage.seekToFrame(4, players[0]);
    await waitUntil(() => players[0]!.currentFrame === 24);
    stage.seekToProgress(0.5);
    await waitUntil(() => players[0]!.currentFrame === 25);
    expect(() => stage.seek(Number.NaN)).to.throw(RangeError);
  });

  it('autoplays once every player is ready', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage autoplay>
        <lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    expect(stage.paused).to.equal(true);
    await readyOf(stage);
    expect(stage.paused).to.equal(false);
  });
});
