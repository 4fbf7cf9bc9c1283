import { expect } from '@open-wc/testing';
import {
  MAX_MESSAGE_CHARS,
  PROTOCOL_VERSION,
  Rejection,
  validateMessage,
  validateRelayMessage,
  validateState,
} from '../../src/sync/messages.js';
import { compareStamps, isStamp, MAX_STAMP_COUNTER, StampClock, type Stamp } from '../../src/sync/stamp.js';

const state = {
  v: PROTOCOL_VERSION,
  type: 'state',
  sender: 'a',
  seq: 3,
  stamp: [1e12, 0, 'a'],
  vector: { position: 1, velocity: 1, timestamp: 1e12 },
  rate: 1,
  playing: true,
};

describe('sync messages', () => {
  it('accept well-formed messages, as objects or JSON text', () => {
    expect(validateMessage(state)).to.deep.equal(state);
    expect(validateMessage(JSON.stringify({ v: PROTOCOL_VERSION, type: 'hello', sender: 'b' }))).to.deep.equal({
      v: PROTOCOL_VERSION,
      type: 'hello',
      sender: 'b',
    });
    expect(validateState(JSON.parse(JSON.stringify(state)))).to.deep.equal(state);
    const ping = { v: PROTOCOL_VERSION, type: 'ping', sender: 'b', id: 3, t0: 10, delayMs: 180 };
    expect(validateMessage(ping), 'a ping may carry its one-way delay').to.deep.equal(ping);
  });

  it('reject malformed, unknown and oversized ones with a code each, never throwing', () => {
    const codes = [
      validateMessage('{nope'),
      validateMessage(null),
      validateMessage([]),
      validateMessage({ ...state, v: 1 }),
      validateMessage({ ...state, v: { toString: 1 } }),
      validateMessage({ ...state, type: { valueOf: 1, toString: 1 } }),
      validateMessage({ ...state, sender: '' }),
      validateMessage({ ...state, sender: 'spaces are not ids' }),
      validateMessage({ ...state, vector: { position: 'x', velocity: 1, timestamp: 1 } }),
      validateMessage({ ...state, stamp: [1.5, 0, 'a'] }),
      validateMessage({ ...state, stamp: [1, -1, 'a'] }),
      validateMessage({ ...state, stamp: [1, 0] }),
      validateMessage({ ...state, seq: -1 }),
      validateMessage({ ...state, playing: 'yes' }),
      validateMessage({ v: PROTOCOL_VERSION, type: 'ping', sender: 'b', id: 3, t0: 10, delayMs: -1 }),
      validateMessage({ v: PROTOCOL_VERSION, type: 'ping', sender: 'b', id: 3, t0: 10, delayMs: 1e9 }),
      validateMessage({ v: PROTOCOL_VERSION, type: 'ping', sender: 'b', id: 3, t0: 10, delayMs: '5' }),
      validateMessage('x'.repeat(MAX_MESSAGE_CHARS + 1)),
    ].map((result) => (result instanceof Rejection ? result.code : 'accepted'));
    expect(codes).to.deep.equal([
      'not-json',
      'not-an-object',
      'not-an-object',
      'unsupported-version',
      'unsupported-version',
      'unknown-type',
      ...Array(11).fill('bad-message'),
      'too-large',
    ]);
  });

  it('check what a relay sends, too', () => {
    const welcome = {
      v: PROTOCOL_VERSION,
      type: 'welcome',
      room: 'r',
      role: 'leader',
      state,
      serverTime: 5,
      limits: { controlPerSecond: 20, pingsPerSecond: 20 },
    };
    expect(validateRelayMessage(JSON.stringify(welcome))).to.deep.equal(welcome);
    const error = { v: PROTOCOL_VERSION, type: 'error', code: 'superseded', message: 'newer', seq: 4 };
    expect(validateRelayMessage(JSON.stringify(error))).to.deep.equal(error);
    const room = { v: PROTOCOL_VERSION, type: 'room', delayMs: 120 };
    expect(validateRelayMessage(JSON.stringify(room))).to.deep.equal(room);
    for (const bad of [
      '[]',
      '{"v":2,"type":"pong","id":1,"t0":1}',
      JSON.stringify({ ...welcome, limits: { controlPerSecond: 0, pingsPerSecond: 20 } }),
      JSON.stringify({ ...welcome, state: { ...state, stamp: null } }),
      JSON.stringify({ ...error, seq: 'x' }),
      JSON.stringify({ ...state, v: { toString: 1 } }),
      '{"v":2,"type":"frame"}',
      '{"v":2,"type":"room","delayMs":-5}',
      '{"v":2,"type":"room"}',
    ])
      expect(validateRelayMessage(bad), bad).to.be.instanceOf(Rejection);
  });
});

describe('stamps', () => {
  it('order by milliseconds, then counter, then origin', () => {
    const sorted: Stamp[] = [
      [1, 0, 'b'],
      [1, 1, 'a'],
      [1, 1, 'b'],
      [2, 0, 'a'],
    ];
    for (let i = 0; i < sorted.length; i += 1) {
      for (let j = 0; j < sorted.length; j += 1) expect(Math.sign(compareStamps(sorted[i]!, sorted[j]!))).to.equal(Math.sign(i - j));
    }
    expect(isStamp([1, 0, 'a'])).to.equal(true);
    expect(isStamp([1, 0, 'a', 4])).to.equal(false);
  });

  it('a hybrid logical clock never goes back and orders after everything it saw', () => {
    let now = 1000;
    const clock = new StampClock('me', () => now);
    const first = clock.next();
    expect(first).to.deep.equal([1000, 0, 'me']);
    expect(compareStamps(clock.next(), first)).to.be.above(0);
    now = 10; // the clock stepped back
    expect(clock.next()[0]).to.equal(1000);
    clock.observe([5000, 7, 'zz']);
    const after = clock.next();
    expect(after).to.deep.equal([5000, 8, 'me']);
    clock.observe([6000, MAX_STAMP_COUNTER, 'x']);
    expect(clock.next()).to.deep.equal([6001, 0, 'me']);
    now = 9000;
    expect(clock.next()).to.deep.equal([9000, 0, 'me']);
  });
});
