// The browser's relay client (TimelineSync over RelayTransport, run in Node)
// against a real relay process: what it keeps while cut off.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { connect, freePort, ofType, startRelay, waitFor } from './helpers.mjs';
import { framesSent, stageClient } from './stage-client.mjs';

test('while cut off a stage keeps only its last change, and sends only that one on reconnecting', { timeout: 60_000 }, async (t) => {
  const port = await freePort();
  let relay = await startRelay(['--port', String(port)]);
  t.after(() => relay.child.kill('SIGKILL'));
  const leader = stageClient({ urls: [relay.url], room: 'away', role: 'leader', name: 'leader' });
  t.after(() => leader.close());
  await waitFor(() => leader.connected, 10_000, 'the leader joins');
  relay.child.kill('SIGKILL');
  await once(relay.child, 'exit');
  await waitFor(() => !leader.connected, 5000, 'the leader notices');
  framesSent.length = 0;
  for (let i = 1; i <= 200; i += 1) leader.seek(i);

  relay = await startRelay(['--port', String(port)]);
  await waitFor(() => leader.connected, 10_000, 'the leader joins again');
  const follower = await connect(relay.url);
  follower.send({ type: 'join', room: 'away', role: 'follower', sender: 'F' });
  const welcome = await follower.next(ofType('welcome'));
  if (welcome.state?.vector.position !== 200) await follower.next((m) => m.type === 'state' && m.vector.position === 200, 5000);
  leader.seek(201);
  await follower.next((m) => m.type === 'state' && m.vector.position === 201, 5000);
  const states = framesSent.filter(ofType('state')).map((s) => s.vector.position);
  assert.deepEqual(states, [200, 201], 'the last change kept while away, then the next one');
  assert.deepEqual(leader.errors, [], 'nothing refused');
  follower.close();
});
