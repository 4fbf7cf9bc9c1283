// Stage reports feed the relay's per-room /metrics: only joined clients, only
// figures within bounds, so no client can set a room's aggregates to anything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { V, connect, ofType, startRelay } from './helpers.mjs';

const sane = { type: 'report', players: 12, ticksPerSecond: 60, spread: 1, clockOffsetMs: -3 };

test('reports out of bounds are refused and leave the room aggregates alone', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.child.kill('SIGKILL'));
  const metrics = async () => (await fetch(`http://127.0.0.1:${relay.port}/metrics`)).text();

  const outsider = await connect(relay.url);
  outsider.send(sane);
  assert.equal((await outsider.next(ofType('error'))).code, 'not-joined');

  const honest = await connect(relay.url);
  honest.send({ type: 'join', room: 'r', role: 'follower', sender: 'h' });
  await honest.next(ofType('welcome'));
  honest.send(sane);
  const hostile = await connect(relay.url);
  hostile.send({ type: 'join', room: 'r', role: 'follower', sender: 'x' });
  await hostile.next(ofType('welcome'));
  const report = (fields) => JSON.stringify({ v: V, sender: 'x', ...sane, ...fields });
  for (const bad of [
    report({ players: 1e308 }),
    report({ players: -1 }),
    report({ players: 2.5 }),
    report({ ticksPerSecond: -60 }),
    report({ ticksPerSecond: 1e6 }),
    report({ spread: -1 }),
    report({ clockOffsetMs: 1e12 }),
    report({ players: 'many' }),
    report({}).replace('"players":12', '"players":1e999'),
    report({}).replace('"spread":1', '"spread":-1e999'),
  ]) {
    hostile.send(bad);
    assert.equal((await hostile.next(ofType('error'))).code, 'bad-report', bad);
  }
  // A second honest report from another follower: followers may report, within bounds.
  hostile.send({ ...sane, players: 30, ticksPerSecond: 24, spread: 0, clockOffsetMs: 7.5 });
  await waitFor(async () => /^lottie_sync_room_players\{room="r"\} 42$/m.test(await metrics()));
  const text = await metrics();
  assert.match(text, /^lottie_sync_room_ticks_per_second_min\{room="r"\} 24$/m);
  assert.match(text, /^lottie_sync_room_spread_frames_max\{room="r"\} 1$/m);
  assert.match(text, /^lottie_sync_room_clock_offset_ms_max\{room="r"\} 7.5$/m);
  assert.doesNotMatch(text, /Infinity|NaN|\} -/);
  for (const client of [outsider, honest, hostile]) client.close();
});

async function waitFor(check, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
