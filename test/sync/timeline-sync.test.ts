import { expect } from '@open-wc/testing';
import { PROTOCOL_VERSION, type StateMessage, type SyncMessage } from '../../src/sync/messages.js';
import type { Stamp } from '../../src/sync/stamp.js';
import { TimelineSync, type TimelineState } from '../../src/sync/timeline-sync.js';
import type { SyncTransport } from '../../src/sync/transport.js';

/** A TimelineSync on a transport the test plays the room through, with a timeline that records what it is told. */
function setup() {
  let now = 1_000_000;
  const sent: SyncMessage[] = [];
  const transport: SyncTransport = {
    onMessage: null,
    onWelcome: null,
    onSuperseded: null,
    now: () => now,
    send: (message) => sent.push(message),
    close: () => undefined,
  };
  let shown: TimelineState = { vector: { position: 0, velocity: 0, timestamp: 0 }, rate: 1, playing: false };
  const applied: number[] = [];
  const sync = new TimelineSync(
    transport,
    {
      snapshot: () => shown,
      apply: (state) => {
        shown = state;
        applied.push(state.vector.position);
      },
    },
    { sender: 'me' },
  );
  const states = () => sent.filter((m): m is StateMessage => m.type === 'state');
  return {
    sync,
    transport,
    sent,
    states,
    applied,
    tick: (ms: number) => (now += ms),
    /** A local change to `position` (paused). */
    seek(position: number) {
      shown = { vector: { position, velocity: 0, timestamp: 0 }, rate: 1, playing: false };
      sync.publish();
      return states().at(-1)!;
    },
    position: () => shown.vector.position,
  };
}

const from = (sender: string, position: number, stamp: Stamp, seq = 1): StateMessage => ({
  v: PROTOCOL_VERSION,
  type: 'state',
  sender,
  seq,
  stamp,
  vector: { position, velocity: 0, timestamp: 0 },
  rate: 1,
  playing: false,
});

describe('TimelineSync ordering', () => {
  it('the newest stamp wins whatever the order of arrival', () => {
    const t = setup();
    t.transport.onMessage!(JSON.stringify(from('b', 2, [20, 0, 'b'])));
    t.transport.onMessage!(JSON.stringify(from('c', 1, [10, 0, 'c'])));
    t.transport.onMessage!(JSON.stringify(from('c', 3, [20, 0, 'c'])));
    t.transport.onMessage!(JSON.stringify(from('c', 3, [20, 0, 'c'])));
    expect(t.applied).to.deep.equal([2, 3]);
  });

  it('an echo of an earlier local change never replaces a later one', () => {
    const t = setup();
    const first = t.seek(1);
    t.tick(5);
    const second = t.seek(2);
    // The relay echoes both, in order: neither is applied (the stage shows 2 already).
    t.transport.onMessage!(first);
    t.transport.onMessage!(second);
    expect(t.applied).to.deep.equal([]);
    expect(t.position()).to.equal(2);
  });

  it("another sender's change made before our last one is not applied; one made after is", () => {
    const t = setup();
    const mine = t.seek(5);
    t.transport.onMessage!(from('other', 1, [mine.stamp[0] - 1, 0, 'other']));
    expect(t.position()).to.equal(5);
    t.transport.onMessage!(from('other', 7, [mine.stamp[0] + 10, 0, 'other']));
    expect(t.position()).to.equal(7);
    // Our own echo, ordered after that by the relay, wins again everywhere, here too.
    t.transport.onMessage!({ ...mine, stamp: [mine.stamp[0] + 20, 0, 'me'] });
    expect(t.position()).to.equal(5);
  });

  it('on a welcome, a last change the room lacks is said again instead of taking the older state', () => {
    const t = setup();
    t.transport.onMessage!(from('me', 1, [10, 0, 'me'], 0));
    const lost = t.seek(3);
    t.transport.onWelcome!(from('other', 1, [lost.stamp[0] - 100, 0, 'other']));
    expect(t.position()).to.equal(3);
    expect(t.states().at(-1)).to.deep.equal(lost);
    // The room has it (the relay's stamp): nothing to say again.
    const count = t.states().length;
    t.transport.onWelcome!({ ...lost, stamp: [lost.stamp[0] + 1, 0, 'me'] });
    expect(t.states().length).to.equal(count);
    // An empty room (Redis restarted empty) lacks it too.
    t.transport.onWelcome!(null);
    expect(t.states().length).to.equal(count + 1);
    // A newer change by someone else: taken, not overwritten.
    t.transport.onWelcome!(from('other', 9, [lost.stamp[0] + 50, 0, 'other']));
    expect(t.position()).to.equal(9);
    expect(t.states().length).to.equal(count + 1);
  });

  it('a change the relay refused as superseded gives way to the room; resync drops the local change', () => {
    const t = setup();
    const room = from('other', 4, [10, 0, 'other']);
    t.transport.onMessage!(room);
    const mine = t.seek(6);
    t.transport.onSuperseded!(mine.seq + 1); // not ours: nothing happens
    expect(t.position()).to.equal(6);
    t.transport.onSuperseded!(mine.seq);
    expect(t.position()).to.equal(4);
    t.seek(8);
    t.sync.resync();
    expect(t.position()).to.equal(4);
    t.transport.onWelcome!(room);
    expect(t.states().length).to.equal(2, 'a dropped change is not said again');
  });

  it('answers a hello with what it shows', () => {
    const t = setup();
    const mine = t.seek(2);
    t.transport.onMessage!(JSON.stringify({ v: PROTOCOL_VERSION, type: 'hello', sender: 'new' }));
    expect(t.sent.at(-1)).to.deep.equal(mine);
  });
});
