import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { BAR, frames, readyOf, sampleFrames, waitUntil } from '../helpers.js';

/** Opens another same-origin document with a stage on `channel`; returns its stage and player once it draws. */
async function otherTab(channel: string) {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width:100px;height:100px;border:0';
  frame.src = `/test/fixtures/sync-tab.html?channel=${channel}`;
  document.body.append(frame);
  await waitUntil(
    () => frame.contentDocument?.querySelector('lottie-sync-player')?.shadowRoot?.querySelector('canvas'),
    'the other tab draws',
    {
      timeout: 10000,
    },
  );
  const doc = frame.contentDocument!;
  const stage = doc.querySelector('lottie-sync-stage') as LottieSyncStage;
  const player = doc.querySelector('lottie-sync-player') as LottieSyncPlayer;
  await waitUntil(() => player.currentFrame >= 0, 'the other tab draws a frame');
  return { frame, stage, player };
}

/** A playing stage on a channel of its own, with one player. */
async function stageOnNewChannel() {
  const channel = `c${Math.random().toString(36).slice(2)}`;
  const stage = await fixture<LottieSyncStage>(
    html`<lottie-sync-stage sync-channel=${channel} autoplay loop>
      <lottie-sync-player src=${BAR} style="width:30px;height:30px"></lottie-sync-player>
    </lottie-sync-stage>`,
  );
  await readyOf(stage);
  return { channel, stage, mine: stage.querySelector('lottie-sync-player')! };
}

function apart(a: number, b: number): number {
  const d = Math.abs(a - b) % 30;
  return Math.min(d, 30 - d);
}

describe('sync across tabs (BroadcastChannel)', () => {
  afterEach(() => document.querySelectorAll('iframe').forEach((f) => f.remove()));

  it('a late tab joins at the current frame, and both stay in step', async () => {
    const { channel, stage, mine } = await stageOnNewChannel();
    await frames(20);
    const other = await otherTab(channel);
    let worst = 0;
    await sampleFrames(1000, () => (worst = Math.max(worst, apart(mine.currentFrame, other.player.currentFrame))));
    expect(worst, 'frames apart').to.be.at.most(1);
    expect(Math.abs(other.stage.currentTime - stage.currentTime)).to.be.below(0.05);
  });

  it('pause, seek and rate changes in one tab reach the other', async () => {
    const { channel, stage, mine } = await stageOnNewChannel();
    const other = await otherTab(channel);
    other.stage.pause();
    await waitUntil(() => stage.paused, 'paused here too');
    other.stage.seek(17 / 30);
    await waitUntil(() => mine.currentFrame === 17, 'sought here too');
    stage.speed = 2;
    await waitUntil(
      () => other.stage.speed === 2,
      `rate there too (here: speed ${stage.speed}, rate ${stage.playbackRate}, paused ${stage.paused}; there: speed ${other.stage.speed}, rate ${other.stage.playbackRate}, paused ${other.stage.paused})`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; at the end there: speed ${other.stage.speed}, rate ${other.stage.playbackRate}`);
    });
    stage.play();
    await waitUntil(() => !other.stage.paused, 'playing there too');
    await frames(10);
    // Both timelines agree to well under a frame (at 2x a tick moves 2 frames, so compare times).
    expect(Math.abs(other.stage.currentTime - stage.currentTime)).to.be.below(1 / 60);
    stage.pause();
    await waitUntil(() => other.stage.paused, 'paused there too');
    await frames(2);
    expect(other.player.currentFrame).to.equal(mine.currentFrame);
  });

  it('stages on other channels are not affected', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage sync-channel="alone" loop>
        <lottie-sync-player src=${BAR} style="width:30px;height:30px"></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    await readyOf(stage);
    const other = await otherTab(`c${Math.random().toString(36).slice(2)}`);
    await frames(10);
    expect(other.stage.paused).to.equal(false);
    expect(stage.paused).to.equal(true);
  });
});
