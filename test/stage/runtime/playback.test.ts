import { expect } from '@open-wc/testing';
import type { PlaybackSpec } from '../../../src/clock/frame-map.js';
import type { LottieSyncTimelineEvent } from '../../../src/events.js';
import { Playback } from '../../../src/stage/runtime/playback.js';
import { FakeHost } from './fakes.js';

const ONCE: PlaybackSpec = { frameRate: 30, start: 0, end: 30, loop: false, direction: 1, mode: 'normal' };

function playback(specs: PlaybackSpec[] = [ONCE]) {
  const host = new FakeHost();
  let changes = 0;
  const part = new Playback(host, { specs: () => specs, changed: () => (changes += 1) });
  let local = 0;
  part.onLocalChange = () => (local += 1);
  return { host, part, changes: () => changes, local: () => local };
}

describe('Playback (runtime part)', () => {
  it('plays, pauses, seeks and changes rate: each an event, a redraw of every player and a change for the room', () => {
    const { host, part, changes, local } = playback();
    part.play();
    host.now += 500;
    expect(part.currentTime).to.be.closeTo(0.5, 1e-9);
    part.pause();
    part.seek(0.25);
    part.setPlaybackRate(2);
    part.setPlaybackRate(2); // unchanged: nothing
    expect(host.types).to.deep.equal(['lottie-sync-play', 'lottie-sync-pause', 'lottie-sync-seek', 'lottie-sync-ratechange']);
    expect([changes(), local()]).to.deep.equal([4, 4]);
    expect(part.currentTime).to.equal(0.25);
    expect(part.duration).to.equal(1);
  });

  it('holds the end of a stage without loop, says so once, and starts over on play', () => {
    const { host, part } = playback();
    part.play();
    host.now += 2000;
    expect(part.positionAt(host.now)).to.equal(1);
    expect(part.paused).to.equal(true);
    expect(part.positionAt(host.now + 100)).to.equal(1);
    expect(host.types.filter((type) => type === 'lottie-sync-complete')).to.have.length(1);
    part.play();
    expect(part.currentTime).to.equal(0);
    // Backwards, the end is time 0.
    part.setPlaybackRate(-1);
    host.now += 100;
    expect(part.positionAt(host.now)).to.equal(0);
    const complete = host.events.at(-1) as LottieSyncTimelineEvent;
    expect([complete.type, complete.playbackRate]).to.deep.equal(['lottie-sync-complete', -1]);
  });

  it('never ends while a player loops', () => {
    const { host, part } = playback([{ ...ONCE, loop: true }]);
    part.play();
    host.now += 5000;
    expect(part.positionAt(host.now)).to.be.closeTo(5, 1e-9);
    expect(part.paused).to.equal(false);
  });

  it('autoplays once, and not after someone controlled it', () => {
    const first = playback();
    first.part.autoplay = true;
    first.part.startIfAutoplay();
    first.part.startIfAutoplay();
    expect(first.host.types).to.deep.equal(['lottie-sync-play']);
    expect(first.local()).to.equal(1);
    const second = playback();
    second.part.autoplay = true;
    second.part.seek(0.5);
    second.part.startIfAutoplay();
    expect(second.part.paused).to.equal(true);
  });

  it('takes a room state without sending it back, naming the change', () => {
    const { host, part, local } = playback();
    part.applyRemote({ vector: { position: 0.5, velocity: 1, timestamp: host.now }, rate: 1, playing: true });
    part.applyRemote({ vector: { position: 0.6, velocity: 0, timestamp: host.now }, rate: 1, playing: false });
    part.applyRemote({ vector: { position: 0.7, velocity: 0, timestamp: host.now }, rate: 1, playing: false });
    part.applyRemote({ vector: { position: 0.7, velocity: 0, timestamp: host.now }, rate: 3, playing: false });
    expect(host.types).to.deep.equal(['lottie-sync-play', 'lottie-sync-pause', 'lottie-sync-seek', 'lottie-sync-ratechange']);
    expect(local()).to.equal(0);
    expect(part.snapshot()).to.deep.include({ rate: 3, playing: false });
  });
});
