// The relay as a real process on loopback: protocol, roles and tokens, limits,
// bad input, health and metrics, graceful shutdown. Run by `npm test` (node --test).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { V, connect, ofType, startRelay, state } from './helpers.mjs';

test('leaders control a room, followers follow, newcomers get the state, pings are answered', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.child.kill());
  const leader = await connect(relay.url);
  leader.send({ type: 'join', room: 'hall', role: 'leader', sender: 'L' });
  assert.equal((await leader.next(ofType('welcome'))).state, null);
  const follower = await connect(relay.url);
  follower.send({ type: 'join', room: 'hall', role: 'follower', sender: 'F' });
  await follower.next(ofType('welcome'));

  leader.send(state(2.5));
  const received = await follower.next(ofType('state'));
  assert.equal(received.vector.position, 2.5);
  assert.equal(received.seq, 1);
  assert.deepEqual(received.stamp.slice(2), ['L'], 'the origin is the sender the relay knows');
  assert.equal(received.sender, 'L');

  // A follower cannot control: an error reply, and the room is untouched.
  follower.send(state(99));
  assert.equal((await follower.next(ofType('error'))).code, 'forbidden');

  const late = await connect(relay.url);
  late.send({ type: 'join', room: 'hall', role: 'follower', sender: 'N' });
  const welcome = await late.next(ofType('welcome'));
  assert.equal(welcome.state.vector.position, 2.5);
  assert.ok(Math.abs(welcome.serverTime - Date.now()) < 1000);

  const t0 = Date.now();
  late.send({ type: 'ping', id: 7, t0 });
  const pong = await late.next(ofType('pong'));
  assert.equal(pong.id, 7);
  assert.equal(pong.t0, t0);
  assert.ok(pong.t1 >= t0 - 5);
  for (const client of [leader, follower, late]) client.close();
});

test('control tokens: a leader without the token is refused', async (t) => {
  const relay = await startRelay(['--token', 's3cret']);
  t.after(() => relay.child.kill());
  const intruder = await connect(relay.url);
  intruder.send({ type: 'join', room: 'r', role: 'leader', token: 'guess' });
  assert.equal((await intruder.next(ofType('error'))).code, 'forbidden');
  intruder.send(state(1));
  assert.equal((await intruder.next(ofType('error'))).code, 'not-joined');
  const leader = await connect(relay.url);
  leader.send({ type: 'join', room: 'r', role: 'leader', token: 's3cret' });
  assert.equal((await leader.next(ofType('welcome'))).role, 'leader');
  intruder.close();
  leader.close();
});

test('bad input gets an error reply and never disturbs the room', async (t) => {
  const relay = await startRelay(['--max-rate', '5', '--max-ping-rate', '5', '--max-room-size', '2']);
  t.after(() => relay.child.kill());
  const client = await connect(relay.url);
  const codes = [];
  for (const bad of [
    '{not json',
    JSON.stringify({ v: 9, type: 'join' }),
    JSON.stringify({ v: V, type: 'frame', sender: 'x' }),
    'x'.repeat(5000),
  ]) {
    client.send(bad);
    codes.push((await client.next(ofType('error'))).code);
  }
  assert.deepEqual(codes, ['not-json', 'unsupported-version', 'unknown-type', 'too-large']);
  client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
  assert.equal((await client.next(ofType('error'))).code, 'binary-frame');
  client.send('[1]');
  assert.equal((await client.next(ofType('error'))).code, 'not-an-object');
  client.send({ type: 'ping', id: 'one', t0: 0 });
  assert.equal((await client.next(ofType('error'))).code, 'bad-message');

  // Rate limits, pings apart from control messages: a burst beyond twice the rate is refused.
  const pinger = await connect(relay.url);
  for (let i = 0; i < 12; i += 1) pinger.send({ type: 'ping', id: i, t0: 0 });
  assert.equal((await pinger.next(ofType('error'))).code, 'ping-rate-limited');
  const talker = await connect(relay.url);
  talker.send({ type: 'join', room: 'talk', role: 'follower' });
  for (let i = 0; i < 12; i += 1) talker.send({ type: 'hello' });
  assert.equal((await talker.next(ofType('error'))).code, 'rate-limited');

  // Room size.
  const a = await connect(relay.url);
  const b = await connect(relay.url);
  const c = await connect(relay.url);
  a.send({ type: 'join', room: 'small', role: 'follower' });
  b.send({ type: 'join', room: 'small', role: 'follower' });
  await a.next(ofType('welcome'));
  await b.next(ofType('welcome'));
  c.send({ type: 'join', room: 'small', role: 'follower' });
  assert.equal((await c.next(ofType('error'))).code, 'room-full');

  // The relay is still healthy.
  const health = await (await fetch(`http://127.0.0.1:${relay.port}/health`)).json();
  assert.equal(health.status, 'ok');
  for (const x of [client, pinger, talker, a, b, c]) x.close();
});

test('health and Prometheus metrics; graceful shutdown tells clients to move', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.child.kill());
  const client = await connect(relay.url);
  client.send({ type: 'join', room: 'm', role: 'follower' });
  await client.next(ofType('welcome'));
  // Stages that opt in report themselves; the relay aggregates per room.
  const other = await connect(relay.url);
  other.send({ type: 'join', room: 'm', role: 'follower', sender: 'o' });
  await other.next(ofType('welcome'));
  client.send({ type: 'report', players: 12, ticksPerSecond: 60, spread: 0, clockOffsetMs: -3 });
  other.send({ type: 'report', players: 30, ticksPerSecond: 24, spread: 1, clockOffsetMs: 7.5 });
  other.send({ type: 'report', players: 'many', ticksPerSecond: 1, spread: 0, clockOffsetMs: 0 });
  assert.equal((await other.next(ofType('error'))).code, 'bad-report');
  const both = await (await fetch(`http://127.0.0.1:${relay.port}/metrics`)).text();
  assert.match(both, /^lottie_sync_room_players\{room="m"\} 42$/m);
  assert.match(both, /^lottie_sync_room_ticks_per_second_min\{room="m"\} 24$/m);
  assert.match(both, /^lottie_sync_room_spread_frames_max\{room="m"\} 1$/m);
  assert.match(both, /^lottie_sync_room_clock_offset_ms_max\{room="m"\} 7.5$/m);
  other.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const reports = await (await fetch(`http://127.0.0.1:${relay.port}/metrics`)).text();
  assert.match(reports, /^lottie_sync_room_players\{room="m"\} 12$/m, 'the closed connection no longer counts');
  const health = await (await fetch(`http://127.0.0.1:${relay.port}/health`)).json();
  assert.equal(health.connections, 1);
  assert.equal(health.rooms, 1);
  const metrics = await (await fetch(`http://127.0.0.1:${relay.port}/metrics`)).text();
  assert.match(metrics, /^lottie_sync_connections 1$/m);
  assert.match(metrics, /^lottie_sync_room_clients\{room="m"\} 1$/m);
  assert.match(metrics, /^# TYPE lottie_sync_messages_received_total counter$/m);
  relay.child.kill('SIGTERM');
  assert.deepEqual(await client.next(ofType('bye')), { v: V, type: 'bye', reason: 'shutdown' });
  const [code] = await once(relay.child, 'exit');
  assert.equal(code, 0);
});
