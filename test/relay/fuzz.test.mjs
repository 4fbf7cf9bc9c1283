// Hostile input against the relay as a real process: generated and mutated
// wire messages (any JSON value in any field), raw binary and non-JSON frames.
// The relay must stay up, keep answering, and a leader/follower pair in
// another room must see exactly the leader's changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Rejection, validateMessage, validateRelayMessage } from '../../dist/sync/messages.js';
import { V, connect, ofType, startRelay, state } from './helpers.mjs';

const TOKEN = 'fuzz-token-0123456789';

/** Values that have broken validators: objects whose toString or valueOf is not a function, huge numbers, deep nesting. */
const hostile = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom({ toString: 1 }, { valueOf: 1 }, { toString: 1, valueOf: 1 }, { toJSON: 1 }, [], {}, -0, 1e308),
  fc.dictionary(fc.constantFrom('toString', 'valueOf', 'toJSON', 'constructor', '__proto__', 'then', 'length'), fc.jsonValue()),
  fc.string(),
);

const bases = {
  join: { v: V, type: 'join', sender: 'f', room: 'fuzz', role: 'leader', token: TOKEN },
  state: state(1),
  ping: { v: V, type: 'ping', sender: 'f', id: 1, t0: 1 },
  report: { v: V, type: 'report', sender: 'f', players: 1, ticksPerSecond: 60, spread: 0, clockOffsetMs: 0 },
  hello: { v: V, type: 'hello', sender: 'f' },
};
const withBase = (message) => ({ v: V, sender: 'f', ...message });

/** A well-formed message with one field (or one vector field, or one new field) replaced by a hostile value. */
const mutated = fc.tuple(fc.constantFrom(...Object.keys(bases)), hostile, fc.nat(), fc.boolean()).map(([type, value, pick, inVector]) => {
  const message = structuredClone(withBase(bases[type]));
  if (inVector && message.vector) {
    const keys = [...Object.keys(message.vector), 'extra'];
    message.vector[keys[pick % keys.length]] = value;
  } else {
    const keys = [...Object.keys(message), 'extra'];
    message[keys[pick % keys.length]] = value;
  }
  return { data: JSON.stringify(message), binary: false };
});

/** Numbers JSON.stringify cannot write: 1e999 parses to Infinity. */
const overflowing = fc
  .tuple(
    fc.constantFrom(
      ['report', 'players'],
      ['report', 'ticksPerSecond'],
      ['report', 'clockOffsetMs'],
      ['ping', 'id'],
      ['ping', 't0'],
      ['ping', 'v'],
    ),
    fc.constantFrom('1e999', '-1e999'),
  )
  .map(([[type, field], huge]) => ({
    data: JSON.stringify(withBase(bases[type])).replace(new RegExp(`"${field}":-?[\\d.e+]+`), `"${field}":${huge}`),
    binary: false,
  }));

/** Keys JSON.parse makes own properties but an object literal would not. */
const prototypeKeys = fc
  .constantFrom(
    `{"v":${V},"sender":"x","type":"join","__proto__":{"room":"guarded","role":"leader"}}`,
    `{"__proto__":{"v":${V},"type":"ping","sender":"x","id":1,"t0":1}}`,
    `{"v":${V},"sender":"x","type":"state","vector":{"__proto__":{"position":1}},"rate":1,"playing":true}`,
  )
  .map((data) => ({ data, binary: false }));

const frame = fc.oneof(
  { weight: 5, arbitrary: mutated },
  { weight: 2, arbitrary: fc.jsonValue().map((value) => ({ data: JSON.stringify(value) ?? 'null', binary: false })) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((text) => ({ data: text, binary: false })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ data: Buffer.from(bytes), binary: true })) },
  { weight: 1, arbitrary: mutated.map(({ data }) => ({ data: Buffer.from(data), binary: true })) },
  { weight: 1, arbitrary: overflowing },
  { weight: 1, arbitrary: prototypeKeys },
  { weight: 1, arbitrary: fc.string({ minLength: 4097, maxLength: 6000 }).map((text) => ({ data: text, binary: false })) },
);

test('a field whose toString is not a function gets an error reply, not a crash', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.child.kill('SIGKILL'));
  const client = await connect(relay.url);
  for (const text of [
    '{"v":{"toString":1}}',
    `{"v":${V},"sender":"x","type":{"toString":1}}`,
    `{"v":${V},"sender":"x","type":{"valueOf":1,"toString":1}}`,
  ]) {
    client.send(text);
    assert.equal((await client.next(ofType('error'))).type, 'error');
  }
  client.send({ type: 'ping', id: 3, t0: 0 });
  assert.equal((await client.next(ofType('pong'))).id, 3);
  assert.equal(relay.child.exitCode, null, 'the relay is still running');
  client.close();
});

test('validation (both directions) never throws, whatever the value', () => {
  const anyFrame = fc.oneof(
    frame.map(({ data }) => String(data)),
    fc.anything().map((value) => JSON.stringify(value) ?? 'null'),
  );
  const kinds = new Map();
  fc.assert(
    fc.property(fc.oneof(fc.anything(), hostile), anyFrame, (value, text) => {
      for (const result of [validateMessage(value), validateMessage(text), validateRelayMessage(text)]) {
        const kind = result instanceof Rejection ? result.code : result.type;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }),
    { numRuns: 20_000 },
  );
  // The generators reach the checks past the envelope, not only the first ones.
  for (const kind of ['not-json', 'unsupported-version', 'bad-message', 'state', 'join', 'ping', 'report'])
    assert.ok(kinds.has(kind), kind);
});

test('generated and mutated messages never crash the relay nor disturb another room', { timeout: 600_000 }, async (t) => {
  const relay = await startRelay(['--token', TOKEN]);
  t.after(() => relay.child.kill('SIGKILL'));
  const leader = await connect(relay.url);
  leader.send({ type: 'join', room: 'guarded', role: 'leader', token: TOKEN, sender: 'L' });
  await leader.next(ofType('welcome'));
  const follower = await connect(relay.url);
  follower.send({ type: 'join', room: 'guarded', role: 'follower', sender: 'F' });
  await follower.next(ofType('welcome'));

  let frames = 0;
  let runs = 0;
  let position = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 6 }), async (batch) => {
      runs += 1;
      const fuzzer = await connect(relay.url);
      try {
        fuzzer.send({ type: 'join', room: 'fuzz', role: 'leader', token: TOKEN, sender: 'f' });
        await fuzzer.next(ofType('welcome'));
        for (const { data, binary } of batch) fuzzer.socket.send(data, { binary });
        frames += batch.length;
        fuzzer.send({ type: 'ping', id: 424242, t0: 0 });
        await fuzzer.next((m) => m.type === 'pong' && m.id === 424242);
      } finally {
        fuzzer.socket.terminate();
      }
      if (runs % 25 === 0) {
        position += 1;
        leader.send(state(position));
        const got = await follower.next(ofType('state'));
        assert.equal(got.vector.position, position, 'the guarded room sees its leader, and only its leader');
        assert.equal(got.sender, 'L');
      }
    }),
    { numRuns: 1500 },
  );
  t.diagnostic(`fuzz: ${runs} connections, ${frames} frames`);
  assert.equal(relay.child.exitCode, null, 'the relay is still running');
  assert.equal(follower.inbox.filter(ofType('state')).length, 0, 'no other state reached the guarded room');
  const health = await (await fetch(`http://127.0.0.1:${relay.port}/health`)).json();
  assert.equal(health.status, 'ok');
  leader.close();
  follower.close();
});
