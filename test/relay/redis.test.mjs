// Several relay processes sharing rooms through a real redis-server on loopback:
// fan-out across relays, late join from the stored vector, a relay killed
// mid-room, Redis stopped (degraded health, own clients still served) and
// restarted (the newer state made meanwhile is re-asserted).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { connect, health, ofType, startRedis, startRelay, state } from './helpers.mjs';

async function joined(url, room, role, sender) {
  const client = await connect(url);
  client.send({ type: 'join', room, role, sender });
  const welcome = await client.next(ofType('welcome'));
  return { client, welcome };
}

test('relays share rooms through Redis', async (t) => {
  let redis = await startRedis();
  const relays = await Promise.all([1, 2, 3].map(() => startRelay(['--redis', redis.url])));
  t.after(() => {
    for (const relay of relays) relay.child.kill('SIGKILL');
    redis.child.kill('SIGKILL');
  });
  const [a, b, c] = relays;

  // A leader on relay A, followers on B and C: one room across processes.
  const leader = await joined(a.url, 'shared', 'leader', 'L');
  const onB = await joined(b.url, 'shared', 'follower', 'B');
  const onC = await joined(c.url, 'shared', 'follower', 'C');
  leader.client.send(state(3.25));
  const [gotB, gotC, gotA] = await Promise.all([
    onB.client.next(ofType('state')),
    onC.client.next(ofType('state')),
    leader.client.next(ofType('state')),
  ]);
  assert.equal(gotB.vector.position, 3.25);
  assert.equal(gotC.vector.position, 3.25);
  assert.deepEqual(gotA.stamp, gotB.stamp, 'one stamp for everyone');

  // A newcomer on any relay reads the stored vector.
  const late = await joined(c.url, 'shared', 'follower', 'late');
  assert.equal(late.welcome.state.vector.position, 3.25);

  // Relay A is killed mid-room: no room state is lost (it is in Redis).
  a.child.kill('SIGKILL');
  await once(a.child, 'exit');
  const after = await joined(b.url, 'shared', 'follower', 'after');
  assert.equal(after.welcome.state.vector.position, 3.25);
  const leader2 = await joined(b.url, 'shared', 'leader', 'L2');
  leader2.client.send(state(7));
  assert.equal((await onC.client.next((m) => m.type === 'state' && m.vector.position === 7)).vector.position, 7);

  // Redis goes away: the relays report degraded health and keep serving their own clients.
  redis.child.kill('SIGTERM');
  await once(redis.child, 'exit');
  await waitFor(async () => (await health(b.port)).status === 'degraded');
  assert.equal((await health(b.port)).code, 503);
  leader2.client.send(state(9));
  assert.equal((await onB.client.next((m) => m.type === 'state' && m.vector.position === 9)).vector.position, 9, 'served locally');

  // Redis returns (same data, 7): health is ok again, and the newer change made meanwhile (9) is re-asserted, reaching relay C too.
  onB.client.inbox.splice(0);
  redis = await startRedis(redis.port, redis.dir);
  await waitFor(async () => (await health(b.port)).status === 'ok', 10000);
  const caughtUp = await onC.client.next((m) => m.type === 'state' && m.vector.position === 9, 5000);
  assert.equal(caughtUp.vector.position, 9);
  assert.equal(onB.client.inbox.filter((m) => m.type === 'state' && m.vector.position === 7).length, 0, 'B is not rolled back to 7');
  for (const x of [leader, onB, onC, late, after, leader2]) x.client.close();
});

async function waitFor(check, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("a room's leaders hear the largest one-way delay of its members, on any relay, and no bad figure", async (t) => {
  const redis = await startRedis();
  const relays = await Promise.all([1, 2].map(() => startRelay(['--redis', redis.url])));
  t.after(() => {
    for (const relay of relays) relay.child.kill('SIGKILL');
    redis.child.kill('SIGKILL');
  });
  const [a, b] = relays;
  const leader = await joined(a.url, 'delays', 'leader', 'L');
  const near = await joined(a.url, 'delays', 'follower', 'N');
  const far = await joined(b.url, 'delays', 'follower', 'F');
  // Followers say their delay with their pings: 20 ms here, 180 ms on the other relay.
  near.client.send({ type: 'ping', id: 1, t0: 1, delayMs: 20 });
  far.client.send({ type: 'ping', id: 1, t0: 1, delayMs: 180 });
  const told = await leader.client.next((m) => m.type === 'room' && m.delayMs === 180, 8000);
  assert.equal(told.delayMs, 180, 'the far member, through Redis');
  // A bad figure is refused, and the room's figure stays.
  far.client.send({ type: 'ping', id: 2, t0: 1, delayMs: -3 });
  const refused = await far.client.next(ofType('error'));
  assert.equal(refused.code, 'bad-message');
  // A leader joining later hears the figure with its welcome.
  const late = await joined(b.url, 'delays', 'leader', 'M');
  const lateTold = await late.client.next(ofType('room'), 3000);
  assert.equal(lateTold.delayMs, 180);
  // Followers are not told (it is the leaders' to schedule by).
  assert.equal(far.client.inbox.filter((m) => m.type === 'room').length, 0);
});
