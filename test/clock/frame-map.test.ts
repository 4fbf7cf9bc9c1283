import { expect } from '@open-wc/testing';
import { frameAt, frameCount, passAt, playEnd, playLength, specDuration, type PlaybackSpec } from '../../src/clock/frame-map.js';
import { positionAt, stoppedAt, withPosition, withVelocity } from '../../src/clock/timeline.js';
import { Coordinator } from '../../src/clock/coordinator.js';

const base: PlaybackSpec = { frameRate: 30, start: 0, end: 30, loop: true, direction: 1, mode: 'normal' };

describe('frameAt', () => {
  it('counts whole frames from time 0, robust to floating-point error', () => {
    expect(frameAt(0, base)).to.equal(0);
    expect(frameAt(0.7, base)).to.equal(21); // 0.7 * 30 = 20.999999999999996
    expect(frameAt(1 / 30 - 1e-4, base)).to.equal(0);
    expect(frameAt(29.5 / 30, base)).to.equal(29);
  });

  it('wraps when looping, also for negative time', () => {
    expect(frameAt(1, base)).to.equal(0);
    expect(frameAt(1.5, base)).to.equal(15);
    expect(frameAt(-1 / 30, base)).to.equal(29);
  });

  it('holds the final frame without loop, and the first before time 0', () => {
    const once = { ...base, loop: false };
    expect(frameAt(5, once)).to.equal(29);
    expect(frameAt(-3, once)).to.equal(0);
  });

  it('plays a segment, counted from the file in-point', () => {
    const segment = { ...base, start: 10, end: 20 };
    expect(frameAt(0, segment)).to.equal(10);
    expect(frameAt(9 / 30, segment)).to.equal(19);
    expect(frameAt(10 / 30, segment)).to.equal(10);
    expect(frameCount(segment)).to.equal(10);
    expect(specDuration(segment)).to.be.closeTo(1 / 3, 1e-9);
  });

  it('plays in reverse', () => {
    const reverse = { ...base, direction: -1 as const };
    expect(frameAt(0, reverse)).to.equal(29);
    expect(frameAt(29 / 30, reverse)).to.equal(0);
    expect(frameAt(1, reverse)).to.equal(29);
  });

  it('bounces: forwards for one duration, then backwards for one', () => {
    const bounce = { ...base, mode: 'bounce' as const };
    expect(frameAt(0, bounce)).to.equal(0);
    expect(frameAt(29 / 30, bounce)).to.equal(29);
    expect(frameAt(30 / 30, bounce)).to.equal(29);
    expect(frameAt(31 / 30, bounce)).to.equal(28);
    expect(frameAt(59 / 30, bounce)).to.equal(0);
    expect(frameAt(2, bounce)).to.equal(0);
    expect(playLength(bounce)).to.equal(2);
    expect(frameAt(10, { ...bounce, loop: false })).to.equal(0);
  });
});

describe('timeline vectors', () => {
  it('compute the position at any time from one vector', () => {
    const stopped = stoppedAt(2, 1000);
    expect(positionAt(stopped, 5000)).to.equal(2);
    const playing = withVelocity(stopped, 2, 1000);
    expect(positionAt(playing, 1500)).to.equal(3);
    const paused = withVelocity(playing, 0, 2000);
    expect(paused.position).to.equal(4);
    expect(positionAt(paused, 9000)).to.equal(4);
    const sought = withPosition(playing, 10, 3000);
    expect(positionAt(sought, 3500)).to.equal(11);
  });
});

describe('Coordinator', () => {
  it('keeps playing at rate 0 and moves again when the rate changes', () => {
    const clock = new Coordinator(0);
    clock.setPlaybackRate(0, 0);
    clock.play(0);
    expect(clock.paused).to.equal(false);
    expect(clock.positionAt(1000)).to.equal(0);
    clock.setPlaybackRate(2, 1000);
    expect(clock.positionAt(1500)).to.equal(1);
    clock.pause(1500);
    expect(clock.paused).to.equal(true);
    expect(clock.positionAt(9000)).to.equal(1);
  });

  it('schedules a change: the timeline moves as before until its moment, then follows it', () => {
    const clock = new Coordinator(0);
    clock.play(0);
    clock.pause(1000, 1200); // made at 1 s, lands at 1.2 s
    expect(clock.paused, 'the state is the new one at once').to.equal(true);
    expect(clock.positionAt(1100), 'still moving before its moment').to.be.closeTo(1.1, 1e-9);
    expect(clock.pendingAt(1100)).to.equal(true);
    expect(clock.positionAt(1200)).to.be.closeTo(1.2, 1e-9);
    expect(clock.positionAt(5000), 'held where it landed').to.be.closeTo(1.2, 1e-9);
    expect(clock.pendingAt(1200)).to.equal(false);
    // A state from another page, stamped for later, takes over then too.
    clock.setState({ position: 3, velocity: 1, timestamp: 6000 }, 1, true, 5500);
    expect(clock.positionAt(5800), 'the pause holds until the remote moment').to.be.closeTo(1.2, 1e-9);
    expect(clock.positionAt(7000)).to.be.closeTo(4, 1e-9);
    // A group copying the clock while a change is pending moves as it does now, and takes the change at its moment.
    clock.pause(8000, 8200);
    const group = new Coordinator(0);
    group.copyFrom(clock, 8100);
    expect(group.positionAt(8150)).to.be.closeTo(clock.positionAt(8150), 1e-9);
    expect(group.positionAt(8150), 'still moving').to.be.above(group.positionAt(8100));
    expect(group.positionAt(9000)).to.be.closeTo(clock.positionAt(9000), 1e-9);
    expect(group.positionAt(9000), 'paused at the moment').to.be.closeTo(group.positionAt(8200), 1e-9);
  });

  it('copies another clock for a group controlled on its own', () => {
    const stage = new Coordinator(0);
    stage.play(0);
    const group = new Coordinator(500);
    group.copyFrom(stage, 500);
    expect(group.paused).to.equal(false);
    expect(group.positionAt(1500)).to.equal(1.5);
  });
});

describe('frameAt with passes, intermissions and speed', () => {
  const spec: PlaybackSpec = { frameRate: 30, start: 0, end: 30, loop: true, direction: 1, mode: 'normal' };

  it('plays a count of passes, then holds the final frame', () => {
    const three = { ...spec, loops: 3 };
    expect(frameAt(0.5, three)).to.equal(15);
    expect(frameAt(2.5, three)).to.equal(15);
    expect(frameAt(2 + 29 / 30, three)).to.equal(29);
    expect(frameAt(3.5, three), 'after the third pass').to.equal(29);
    expect(frameAt(-1, three), 'before the start').to.equal(0);
    expect(playEnd(three)).to.be.closeTo(3, 1e-9);
    expect([passAt(0.5, three), passAt(1.5, three), passAt(9, three)]).to.deep.equal([0, 1, 3]);
    expect(playEnd(spec)).to.equal(Infinity);
  });

  it('holds the final frame for the intermission between passes', () => {
    const paused = { ...spec, loops: 2, intermission: 0.5 };
    expect(frameAt(1.2, paused), 'in the intermission').to.equal(29);
    expect(frameAt(1.5, paused), 'the second pass starts').to.equal(0);
    expect(frameAt(1.5 + 10 / 30, paused)).to.equal(10);
    expect(playEnd(paused), 'no intermission after the last pass').to.be.closeTo(2.5, 1e-9);
    expect(passAt(1.2, paused)).to.equal(0);
  });

  it('scales its time by its speed, and stays frame-exact for players with the same settings', () => {
    const double = { ...spec, speed: 2 };
    expect(frameAt(0.25, double)).to.equal(15);
    expect(frameAt(0.7, double)).to.equal(12); // 1.4 s of its own time: frame 42 wraps to 12
    expect(playEnd({ ...double, loop: false })).to.equal(0.5);
    expect(frameAt(0.7 / 2, { ...spec, speed: 0.5 })).to.equal(frameAt(0.7 / 4, spec));
  });
});
