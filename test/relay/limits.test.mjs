// Per-connection bounds on a real relay process: clients that flood and never
// read are disconnected and cost the relay bounded memory; errors are answered
// within a budget; clock pings do not eat the control rate limit.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { flood } from '../../bench/relay-flood.mjs';
import { connect, ofType, startRelay, state } from './helpers.mjs';

const MB = 2 ** 20;

async function pair(url, room) {
  const leader = await connect(url);
  leader.send({ type: 'join', room, role: 'leader', sender: 'L' });
  await leader.next(ofType('welcome'));
  const follower = await connect(url);
  follower.send({ type: 'join', room, role: 'follower', sender: 'F' });
  await follower.next(ofType('welcome'));
  return { leader, follower };
}

test('clients that flood and never read are disconnected; the relay grows by at most 50 MB', { timeout: 120_000 }, async (t) => {
  const relay = await startRelay();
  t.after(() => relay.child.kill('SIGKILL'));
  const { leader, follower } = await pair(relay.url, 'calm');
  const result = await flood({ url: relay.url, pid: relay.child.pid, seconds: 10 });
  t.diagnostic(
    `flood 10 s: relay RSS ${(result.rssBefore / MB).toFixed(1)} -> peak ${(result.rssPeak / MB).toFixed(1)} MB (+${(result.rssGrowth / MB).toFixed(1)}); ` +
      result.flooders.map((f) => `${f.mode}: ${f.frames} frames, dropped ${f.drops}x`).join('; '),
  );
  for (const flooder of result.flooders) assert.ok(flooder.drops >= 1, `the ${flooder.mode} flooder was disconnected`);
  assert.ok(result.rssGrowth <= 50 * MB, `relay RSS grew ${(result.rssGrowth / MB).toFixed(1)} MB`);
  // The room next door never noticed.
  leader.send(state(4));
  assert.equal((await follower.next(ofType('state'))).vector.position, 4);
  const metrics = await (await fetch(`http://127.0.0.1:${relay.port}/metrics`)).text();
  assert.match(metrics, /^lottie_sync_clients_dropped_total\{reason="too-many-errors"\} [1-9]\d*$/m);
  leader.close();
  follower.close();
});

test('a client whose send buffer passes the bound is disconnected', { timeout: 120_000 }, async (t) => {
  // Every ping answered: the pongs pile up for a client that does not read.
  const relay = await startRelay(['--max-ping-rate', '1000000', '--max-send-buffer', String(256 * 1024)]);
  t.after(() => relay.child.kill('SIGKILL'));
  const started = Date.now();
  const result = await flood({ url: relay.url, pid: relay.child.pid, seconds: 60, modes: ['pings'], untilDropped: true });
  t.diagnostic(`pong flood: dropped after ${Date.now() - started} ms, relay RSS +${(result.rssGrowth / MB).toFixed(1)} MB`);
  assert.ok(result.flooders[0].drops >= 1, 'disconnected');
  assert.ok(result.rssGrowth <= 50 * MB, `relay RSS grew ${(result.rssGrowth / MB).toFixed(1)} MB`);
  const metrics = await (await fetch(`http://127.0.0.1:${relay.port}/metrics`)).text();
  assert.match(metrics, /^lottie_sync_clients_dropped_total\{reason="send-buffer"\} [1-9]\d*$/m);
});

test('errors are answered up to a budget, then not at all, then the connection is closed (1008)', { timeout: 30_000 }, async (t) => {
  const relay = await startRelay();
  t.after(() => relay.child.kill('SIGKILL'));
  const client = await connect(relay.url);
  const closed = once(client.socket, 'close');
  for (let i = 0; i < 60; i += 1) client.send('{not json');
  const [code] = await closed;
  assert.equal(code, 1008);
  const errors = client.inbox.filter(ofType('error'));
  assert.deepEqual(
    errors.map((e) => e.code),
    [...Array(10).fill('not-json'), 'too-many-errors'],
  );
  // Others are served as before.
  const other = await connect(relay.url);
  other.send({ type: 'ping', id: 1, t0: 0 });
  assert.equal((await other.next(ofType('pong'))).id, 1);
  other.close();
});

test('clock pings are limited apart from control messages: a pinging leader still controls', { timeout: 30_000 }, async (t) => {
  const relay = await startRelay();
  t.after(() => relay.child.kill('SIGKILL'));
  const { leader, follower } = await pair(relay.url, 'busy');
  // A burst of pings as a stage sends on connect, then a burst of changes within the control limit.
  for (let i = 0; i < 30; i += 1) leader.send({ type: 'ping', id: i, t0: 0 });
  for (let i = 1; i <= 30; i += 1) leader.send(state(i));
  const last = await follower.next((m) => m.type === 'state' && m.vector.position === 30);
  assert.equal(last.vector.position, 30);
  assert.deepEqual(leader.inbox.filter(ofType('error')), [], 'nothing refused');
  // Pings past their own limit are refused with their own code.
  for (let i = 0; i < 60; i += 1) leader.send({ type: 'ping', id: 100 + i, t0: 0 });
  assert.equal((await leader.next(ofType('error'))).code, 'ping-rate-limited');
  leader.close();
  follower.close();
});
