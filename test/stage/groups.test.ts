import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncGroup } from '../../src/group/lottie-sync-group.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { BAR, frames, readyOf, sampleFrames, settlesTo, waitUntil, withWarnings } from '../helpers.js';

const BOX = 'width:20px;height:20px';

/** Circular distance between two frames of the 30-frame bar. */
function apart(a: number, b: number): number {
  const d = Math.abs(a - b) % 30;
  return Math.min(d, 30 - d);
}

async function groupStage(sync: string, extra = '') {
  const stage = await fixture<LottieSyncStage>(
    html`<lottie-sync-stage autoplay loop fps="30">
      <lottie-sync-player id="solo" src=${BAR} style=${BOX}></lottie-sync-player>
      <div
        .innerHTML=${`<lottie-sync-group name="g" sync="${sync}" ${extra}>
      <lottie-sync-player class="member" src="${BAR}" style="${BOX}"></lottie-sync-player>
      <lottie-sync-player class="member" master src="${BAR}" style="${BOX}"></lottie-sync-player>
      <lottie-sync-player class="member" src="${BAR}" style="${BOX}"></lottie-sync-player>
      <lottie-sync-player class="member" src="${BAR}" style="${BOX}"></lottie-sync-player>
    </lottie-sync-group>`}
      ></div>
    </lottie-sync-stage>`,
  );
  await readyOf(stage);
  const members = [...stage.querySelectorAll<LottieSyncPlayer>('.member')];
  const master = members.find((p) => p.master)!;
  const followers = members.filter((p) => p !== master);
  const solo = stage.querySelector<LottieSyncPlayer>('#solo')!;
  const group = stage.querySelector<LottieSyncGroup>('lottie-sync-group')!;
  return { stage, master, followers, solo, group };
}

describe('groups', () => {
  it('realtime: followers show the master frame on every tick', async () => {
    const { master, followers, solo } = await groupStage('realtime');
    let worst = 0;
    await sampleFrames(1000, () => {
      for (const follower of [...followers, solo]) worst = Math.max(worst, apart(follower.currentFrame, master.currentFrame));
    });
    expect(worst).to.equal(0);
  });

  it('batched: followers draw on every third tick, showing the master frame of that tick', async () => {
    const { master, followers } = await groupStage('batched', 'batch="3"');
    let masterChanges = 0;
    let followerChanges = 0;
    let last = { master: master.currentFrame, follower: followers[0]!.currentFrame };
    let followersAgree = true;
    let behind = 0;
    await sampleFrames(1500, () => {
      if (master.currentFrame !== last.master) masterChanges += 1;
      if (followers[0]!.currentFrame !== last.follower) {
        followerChanges += 1;
        // On the ticks they draw, they draw the master's frame.
        behind = Math.max(behind, apart(followers[0]!.currentFrame, master.currentFrame));
      }
      last = { master: master.currentFrame, follower: followers[0]!.currentFrame };
      followersAgree &&= followers.every((f) => f.currentFrame === followers[0]!.currentFrame);
    });
    expect(followersAgree).to.equal(true);
    expect(masterChanges).to.be.greaterThan(10);
    expect(followerChanges).to.be.greaterThan(0);
    expect(followerChanges, `${followerChanges} follower draws for ${masterChanges} master draws`).to.be.at.most(
      Math.ceil(masterChanges / 2),
    );
    expect(behind).to.equal(0);
  });

  it('lazy: followers run free, fall behind when the page stalls, and correct themselves', async () => {
    const { master, followers, solo } = await groupStage('lazy', 'max-drift="2"');
    await frames(5);
    expect(apart(followers[0]!.currentFrame, master.currentFrame)).to.be.at.most(1);
    // Stall the main thread: free-running followers step at most 50 ms a tick.
    const before = master.currentFrame;
    const until = performance.now() + 400;
    while (performance.now() < until) {
      /* busy */
    }
    // The first tick after the stall, as the players report it (a render worker answers a frame later).
    await waitUntil(() => apart(master.currentFrame, before) >= 6, 'the master jumps past the stall', { timeout: 2000, interval: 1 });
    expect(apart(solo.currentFrame, master.currentFrame), 'the clock-driven players stay together').to.equal(0);
    const drift = apart(followers[0]!.currentFrame, master.currentFrame);
    expect(drift, 'followers fell behind').to.be.greaterThan(2);
    await waitUntil(() => followers.every((f) => apart(f.currentFrame, master.currentFrame) <= 2), 'corrected by nudging', {
      timeout: 4000,
    });
    // A large drift is closed by seeking, at once.
    const longer = performance.now() + 1500;
    while (performance.now() < longer) {
      /* busy */
    }
    await frames(4);
    expect(apart(followers[0]!.currentFrame, master.currentFrame)).to.be.at.most(2);
  });

  it('plays, pauses and seeks on its own, and rejoins the stage when the stage is controlled', async () => {
    const { stage, master, followers, solo, group } = await groupStage('realtime');
    group.pause();
    expect(group.paused).to.equal(true);
    expect(stage.paused).to.equal(false);
    group.seek(5 / 30);
    await settlesTo(() => [master, ...followers].map((p) => p.currentFrame), [5, 5, 5, 5], 'the group shows its frame');
    const soloBefore = solo.currentFrame;
    await waitUntil(() => solo.currentFrame !== soloBefore, 'the rest of the stage plays on');
    expect(master.currentFrame).to.equal(5);
    group.play();
    await waitUntil(() => master.currentFrame !== 5, 'the group plays again');
    stage.pause();
    stage.seek(12 / 30);
    await settlesTo(() => [solo, master, ...followers].map((p) => p.currentFrame), [12, 12, 12, 12, 12], 'every player at the stage frame');
  });

  it('align="progress" stretches followers of other lengths to the master loop', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage>
        <lottie-sync-group name="p" align="progress">
          <lottie-sync-player id="m" src=${BAR} style=${BOX}></lottie-sync-player>
          <lottie-sync-player id="f" src=${BAR} segment="0 15" loop style=${BOX}></lottie-sync-player>
        </lottie-sync-group>
        <lottie-sync-player id="t" src=${BAR} segment="0 15" loop group="other" style=${BOX}></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    await readyOf(stage);
    const [m, f, t] = ['m', 'f', 't'].map((id) => stage.querySelector<LottieSyncPlayer>(`#${id}`)!);
    for (const frame of [4, 20, 29]) {
      stage.seek(frame / 30);
      // master, follower by progress, player of another group by time
      await settlesTo(() => [m!.currentFrame, f!.currentFrame, t!.currentFrame], [frame, Math.floor(frame / 2), frame % 15]);
    }
  });

  it('rejects bad attribute values with a warning and uses the defaults', async () => {
    await withWarnings(async (warnings) => {
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage>
          <lottie-sync-group sync="eventually" batch="0" max-drift="-1" align="sideways"></lottie-sync-group>
        </lottie-sync-stage>`,
      );
      const group = stage.querySelector('lottie-sync-group')!;
      await group.updateComplete;
      expect([group.sync, group.batch, group.maxDrift, group.align]).to.deep.equal(['realtime', 3, 2, 'time']);
      for (const attribute of ['sync="eventually"', 'batch="0"', 'max-drift="-1"', 'align="sideways"']) {
        expect(
          warnings.some((w) => w.includes(attribute)),
          attribute,
        ).to.equal(true);
      }
      expect(() => document.createElement('lottie-sync-group').play()).to.throw('not inside');
    });
  });
});
