import { expect } from '@open-wc/testing';
import { Coordinator } from '../../../src/clock/coordinator.js';
import type { PlaybackSpec } from '../../../src/clock/frame-map.js';
import { DEFAULT_GROUP } from '../../../src/clock/sync-group.js';
import { Timelines } from '../../../src/stage/runtime/timelines.js';
import { FakeHost, fakePlayer } from './fakes.js';

const SPEC: PlaybackSpec = { frameRate: 30, start: 0, end: 30, loop: true, direction: 1, mode: 'normal' };

function groups() {
  const host = new FakeHost();
  const stage = new Coordinator(host.now);
  const part = new Timelines(host, stage, () => 30);
  const element = document.createElement('div');
  return { host, stage, part, element };
}

function loaded(spec: PlaybackSpec = SPEC, master = false) {
  const player = fakePlayer({ master });
  player.load.spec = spec;
  return player;
}

describe('Groups (runtime part)', () => {
  it("gives a player outside any group the stage's position, and a master its group's", () => {
    const { part, host } = groups();
    const alone = loaded();
    const [first, second] = [loaded(), loaded()];
    part.join(first, 'g');
    part.join(second, 'g');
    part.beginTick();
    expect(part.positionOf(alone, 0.4, host.now)).to.equal(0.4);
    expect(part.positionOf(first, 0.4, host.now)).to.equal(0.4);
    expect(part.positionOf(second, 0.4, host.now)).to.equal(0.4);
  });

  it('the player marked master leads; with align="progress" followers stretch to its loop', () => {
    const { part, host, element } = groups();
    const follower = loaded({ ...SPEC, end: 15 });
    const master = loaded(SPEC, true);
    part.join(follower, 'g');
    part.join(master, 'g');
    const registration = part.register('g', element);
    registration.update({ ...DEFAULT_GROUP, align: 'progress' });
    part.beginTick();
    expect(part.positionOf(master, 0.5, host.now)).to.equal(0.5);
    expect(part.positionOf(follower, 0.5, host.now)).to.equal(0.25);
  });

  it('batched followers draw on every k-th tick only (and whenever they show nothing)', () => {
    const { part, host, element } = groups();
    const [master, follower] = [loaded(), loaded()];
    part.join(master, 'b');
    part.join(follower, 'b');
    part.register('b', element).update({ ...DEFAULT_GROUP, mode: 'batched', batch: 3 });
    const drawn: boolean[] = [];
    for (let tick = 0; tick < 6; tick += 1) {
      part.beginTick();
      const position = part.positionOf(follower, tick / 30, host.now);
      drawn.push(position !== null);
      if (position !== null) follower.surface.shownFrame = tick;
      part.endTick();
    }
    expect(drawn).to.deep.equal([true, false, false, true, false, false]);
  });

  it('a group controlled on its own has its own clock until the stage is controlled', () => {
    const { part, host, stage, element } = groups();
    const [master, follower] = [loaded(), loaded()];
    part.join(master, 'own');
    part.join(follower, 'own');
    follower.surface.shownFrame = 5;
    const registration = part.register('own', element);
    stage.play(host.now);
    registration.controls.seek(0.75);
    expect(follower.surface.shownFrame, 'its players draw again').to.equal(-1);
    expect(registration.controls.currentTime).to.equal(0.75);
    part.beginTick();
    expect(part.positionOf(master, 0.1, host.now)).to.equal(0.75);
    part.rejoinStage([]);
    part.beginTick();
    expect(part.positionOf(master, 0.1, host.now)).to.equal(0.1);
    expect(registration.controls.paused).to.equal(false);
  });

  it('forgets a group element released by the last of its elements, with its settings', () => {
    const { part, element, host } = groups();
    const [master, follower] = [loaded(), loaded()];
    part.join(master, 'gone');
    part.join(follower, 'gone');
    const first = part.register('gone', element);
    const second = part.register('gone', element);
    first.update({ ...DEFAULT_GROUP, mode: 'batched', batch: 2 });
    first.release();
    first.release();
    part.beginTick();
    part.endTick();
    part.beginTick();
    expect(part.positionOf(follower, 0.2, host.now), 'still batched: one element is left').to.equal(0.2);
    follower.surface.shownFrame = 1;
    part.endTick(); // 2 ticks: drawn
    part.endTick(); // 3 ticks: skipped
    part.beginTick();
    expect(part.positionOf(follower, 0.2, host.now)).to.equal(null);
    second.release();
    part.beginTick();
    expect(part.positionOf(follower, 0.2, host.now), 'back to realtime').to.equal(0.2);
  });
});
