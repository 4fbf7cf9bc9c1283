// No lost or rolled-back update, whatever fails: two relay processes sharing a
// room through a real redis-server, stages as the browser runs them (a leader
// and a follower on relay A, a follower on relay B), and the faults of issue
// #10: Redis stalled (SIGSTOP, SIGCONT), killed and restarted empty, restarted
// from an older snapshot, and the leader's relay killed mid-change. Each ends
// with every follower on every relay showing the leader's last state within
// 2 s of the fault clearing, and the leader never rolled back.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { V, freePort, health, startRedis, startRelay, waitFor } from './helpers.mjs';
import { neverBack, stageClient } from './stage-client.mjs';

/** The correctness deadline: every follower consistent this long after a fault clears. */
const CONSISTENT_WITHIN_MS = 2000;

async function cluster(t, { leaderUrls } = {}) {
  const processes = [];
  t.after(() => {
    for (const stage of stages) stage.close();
    // A stopped process takes SIGKILL too; SIGCONT first lets it close its sockets as it dies.
    for (const child of processes) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  });
  const redis = await startRedis();
  processes.push(redis.child);
  const a = await startRelay(['--redis', redis.url]);
  processes.push(a.child);
  // B on a port chosen now, started later when asked: stages given [A, B] try A first while B is not up yet.
  const bPort = await freePort();
  const stages = [];
  const stage = (options) => {
    const created = stageClient({ room: 'show', ...options });
    stages.push(created);
    return created;
  };
  const urlB = `ws://127.0.0.1:${bPort}`;
  const leader = stage({ urls: leaderUrls ? leaderUrls(a.url, urlB) : [a.url], role: 'leader', name: 'leader' });
  const onA = stage({ urls: leaderUrls ? leaderUrls(a.url, urlB) : [a.url], name: 'onA' });
  await waitFor(() => leader.connected && onA.connected, 10_000, 'stages on A');
  const b = await startRelay(['--redis', redis.url, '--port', String(bPort)]);
  processes.push(b.child);
  const onB = stage({ urls: [b.url], name: 'onB' });
  await waitFor(() => onB.connected, 10_000, 'the stage on B');
  const followers = [onA, onB];
  const all = () => [leader, ...followers];
  return { redis, a, b, leader, followers, all, stage, processes };
}

/** Waits until every stage shows `position`; resolves to the ms it took. */
function showing(stages, position, ms = CONSISTENT_WITHIN_MS, what = `every stage at ${position}`) {
  return waitFor(() => stages.every((s) => s.position === position), ms, what).catch((error) => {
    throw new Error(`${error.message}: ${stages.map((s) => `${s.name}=${s.position}`).join(' ')}`);
  });
}

const bothHealth = async (relays, status) => (await Promise.all(relays.map((r) => health(r.port)))).every((h) => h.status === status);

/** The state a brand-new client is welcomed with on `url` (raw protocol). */
async function welcomeState(url) {
  const socket = new WebSocket(url);
  await once(socket, 'open');
  socket.send(JSON.stringify({ v: V, type: 'join', sender: 'probe', room: 'show', role: 'follower' }));
  for (;;) {
    const [data] = await once(socket, 'message');
    const message = JSON.parse(data.toString());
    if (message.type !== 'welcome') continue;
    socket.close();
    return message.state;
  }
}

function checkNoRollback(c) {
  assert.deepEqual(c.leader.overrides, [], 'the leader is never told to show anything but its own last change');
  for (const s of c.all()) assert.ok(neverBack(s.positions), `${s.name} never goes back: ${s.positions.join(',')}`);
}

test(
  'Redis stalled (SIGSTOP): degraded within 2 s, each relay serves its own clients; after SIGCONT all agree',
  { timeout: 60_000 },
  async (t) => {
    const c = await cluster(t);
    c.leader.seek(1);
    await showing(c.all(), 1, 5000);

    c.redis.child.kill('SIGSTOP');
    const degradedMs = await waitFor(() => bothHealth([c.a, c.b], 'degraded'), CONSISTENT_WITHIN_MS, 'degraded health');
    t.diagnostic(`Redis stalled: both relays degraded after ${degradedMs} ms`);
    assert.equal((await health(c.a.port)).code, 503);
    c.leader.seek(2);
    await showing([c.leader, c.followers[0]], 2, CONSISTENT_WITHIN_MS, "the leader's own relay delivers");
    // Joins are welcomed, not held behind the stalled Redis.
    const lateA = c.stage({ urls: [c.a.url], name: 'lateA' });
    const lateB = c.stage({ urls: [c.b.url], name: 'lateB' });
    await waitFor(() => lateA.connected && lateB.connected, CONSISTENT_WITHIN_MS, 'welcomes during the stall');
    assert.equal(lateA.position, 2);
    c.leader.seek(3);
    await showing([c.leader, c.followers[0], lateA], 3);

    c.redis.child.kill('SIGCONT');
    const ms = await showing([...c.all(), lateA, lateB], 3);
    t.diagnostic(`Redis SIGCONT: every follower on both relays at the last state after ${ms} ms`);
    await waitFor(() => bothHealth([c.a, c.b], 'ok'), 5000, 'ok health');
    checkNoRollback(c);
    c.leader.seek(4);
    await showing([...c.all(), lateA, lateB], 4, 5000);
  },
);

test('Redis killed and restarted empty: changes made meanwhile reach every relay', { timeout: 60_000 }, async (t) => {
  const c = await cluster(t);
  c.leader.seek(1);
  await showing(c.all(), 1, 5000);

  c.redis.child.kill('SIGKILL');
  await once(c.redis.child, 'exit');
  await waitFor(() => bothHealth([c.a, c.b], 'degraded'), CONSISTENT_WITHIN_MS, 'degraded health');
  c.leader.seek(2);
  c.leader.seek(3);
  await showing([c.leader, c.followers[0]], 3);

  const redis = await startRedis(c.redis.port); // a new, empty data folder
  c.processes.push(redis.child);
  const ms = await showing(c.all(), 3);
  t.diagnostic(`Redis restarted empty: every follower on both relays at the last state after ${ms} ms`);
  checkNoRollback(c);
  // The room's order survived the empty Redis: the next change wins everywhere, and newcomers get it.
  c.leader.seek(4);
  await showing(c.all(), 4, 5000);
  assert.equal((await welcomeState(c.b.url)).vector.position, 4);
});

test(
  'Redis restarted from an older snapshot: the relays re-assert the newer state, nothing is rolled back',
  { timeout: 60_000 },
  async (t) => {
    const c = await cluster(t);
    c.leader.seek(1);
    await showing(c.all(), 1, 5000);
    const admin = new Redis(c.redis.url);
    await admin.save();
    admin.disconnect();
    const older = mkdtempSync(join(tmpdir(), 'lottie-sync-redis-old-'));
    copyFileSync(join(c.redis.dir, 'dump.rdb'), join(older, 'dump.rdb'));
    c.leader.seek(2);
    c.leader.seek(3);
    await showing(c.all(), 3, 5000);

    const fresh = await startRelay(['--redis', c.redis.url]);
    c.processes.push(fresh.child);
    c.redis.child.kill('SIGKILL');
    await once(c.redis.child, 'exit');
    await waitFor(() => bothHealth([c.a, c.b], 'degraded'), CONSISTENT_WITHIN_MS, 'degraded health');
    const redis = await startRedis(c.redis.port, older, ['--appendonly', 'no']);
    const restartedAt = Date.now();
    c.processes.push(redis.child);
    const check = new Redis(redis.url);
    t.after(() => check.disconnect());
    assert.match(JSON.stringify(await check.keys('*')), /show/, 'the snapshot holds the room (at position 1)');
    // The third relay has no memory of the room: it reads Redis, and must find the newer state there.
    await waitFor(async () => (await welcomeState(fresh.url))?.vector.position === 3, CONSISTENT_WITHIN_MS, 'Redis re-asserted');
    await showing(c.all(), 3);
    const ms = Date.now() - restartedAt;
    assert.ok(ms <= CONSISTENT_WITHIN_MS, `consistent ${ms} ms after Redis restarted`);
    t.diagnostic(`Redis restarted from an older snapshot: the newer state back in Redis, every stage on it, ${ms} ms after the restart`);
    await waitFor(() => bothHealth([c.a, c.b], 'ok'), 5000, 'ok health');
    checkNoRollback(c);
    c.leader.seek(4);
    await showing(c.all(), 4, 5000);
  },
);

test("the leader's relay killed mid-change: the leader re-asserts its last change on the next relay", { timeout: 60_000 }, async (t) => {
  const c = await cluster(t, { leaderUrls: (a, b) => [a, b] });
  c.leader.seek(1);
  await showing(c.all(), 1, 5000);
  c.leader.seek(2);
  await showing(c.all(), 2, 5000);
  // Relay A freezes with the leader's last change unread in its socket, then dies: it never reached Redis.
  c.a.child.kill('SIGSTOP');
  c.leader.seek(3);
  await new Promise((resolve) => setImmediate(resolve));
  c.a.child.kill('SIGKILL');
  await once(c.a.child, 'exit');
  const ms = await showing(c.all(), 3);
  t.diagnostic(`leader's relay killed: every stage on the remaining relay at the last change after ${ms} ms`);
  checkNoRollback(c);
});
