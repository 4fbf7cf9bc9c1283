#!/usr/bin/env node
// Relay load benchmark: many WebSocket clients on loopback in rooms of 1,000,
// one control change a second per active room, against one relay process and
// against three relays sharing rooms through Redis.
//
//   node bench/relay-load.mjs [--clients 10000] [--room-size 1000] [--seconds 10] [--redis-too]
//   npm run bench:relay        (10,000 clients, one relay, then three relays + Redis)
//
// Every client also pings the relay's clock every 2 s, as a stage does once
// its clock estimate has its samples. Reports per setup: messages received per
// client per second (state changes and pongs; active rooms, and an idle room
// with no changes), relay CPU (share of one core, all relay processes),
// relay memory per connection, and the delay from a control change to the
// last client of the room receiving it (p50, p99 over changes).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { V, freePort, startRedis } from '../test/relay/helpers.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '10000' },
    'room-size': { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    'redis-too': { type: 'boolean', default: false },
  },
});
const CLIENTS = Number(values.clients);
const ROOM_SIZE = Number(values['room-size']);
const SECONDS = Number(values.seconds);
const CLI = new URL('../relay/dist/relay/cli.js', import.meta.url).pathname;

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssBytes(pid) {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
}

async function startRelay(args) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [CLI, '--port', String(port), '--max-room-size', String(ROOM_SIZE + 10), '--max-rate', '1000', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  for await (const chunk of child.stdout) if (String(chunk).includes('listening')) break;
  child.stdout.resume();
  return { child, port, url: `ws://127.0.0.1:${port}` };
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function run(label, relays) {
  const rooms = Math.ceil(CLIENTS / ROOM_SIZE);
  const idleRoom = rooms - 1; // the last room never changes: its clients should receive nothing
  const memoryBefore = relays.reduce((sum, r) => sum + rssBytes(r.child.pid), 0);
  const received = new Array(CLIENTS).fill(0);
  const lastReceipt = new Map(); // change id -> latest receipt time
  const sockets = [];
  // Connect in batches, round-robin over the relays.
  for (let start = 0; start < CLIENTS; start += 250) {
    const batch = [];
    for (let i = start; i < Math.min(CLIENTS, start + 250); i += 1) {
      const relay = relays[i % relays.length];
      const room = `room-${i % rooms}`;
      const socket = new WebSocket(relay.url);
      sockets[i] = socket;
      batch.push(
        new Promise((resolve, reject) => {
          socket.on('error', reject);
          socket.on('open', () => socket.send(JSON.stringify({ v: V, type: 'join', sender: `c${i}`, room, role: 'follower' })));
          socket.on('message', (data) => {
            const message = JSON.parse(data.toString());
            if (message.type === 'welcome') return resolve();
            if (message.type === 'pong') received[i] += 1;
            if (message.type !== 'state') return;
            received[i] += 1;
            const id = message.vector.position;
            lastReceipt.set(id, Math.max(lastReceipt.get(id) ?? 0, Date.now()));
          });
        }),
      );
    }
    await Promise.all(batch);
  }
  const memoryAfter = relays.reduce((sum, r) => sum + rssBytes(r.child.pid), 0);
  // One leader per active room, on the first relay.
  const leaders = [];
  for (let room = 0; room < rooms; room += 1) {
    if (room === idleRoom) continue;
    const leader = new WebSocket(relays[0].url);
    await once(leader, 'open');
    leader.send(JSON.stringify({ v: V, type: 'join', sender: `leader${room}`, room: `room-${room}`, role: 'leader' }));
    await once(leader, 'message');
    leaders.push(leader);
  }
  received.fill(0);
  const sentAt = new Map();
  const cpuBefore = relays.reduce((sum, r) => sum + cpuSeconds(r.child.pid), 0);
  const started = Date.now();
  // Clock pings: each client once every 2 s, spread evenly over the 2 s.
  let slot = 0;
  const pinger = setInterval(() => {
    for (let i = slot % 20; i < CLIENTS; i += 20) {
      if (sockets[i].readyState === WebSocket.OPEN)
        sockets[i].send(JSON.stringify({ v: V, type: 'ping', sender: `c${i}`, id: slot, t0: Date.now() }));
    }
    slot += 1;
  }, 100);
  let change = 0;
  while (Date.now() - started < SECONDS * 1000) {
    for (const leader of leaders) {
      change += 1;
      sentAt.set(change, Date.now());
      leader.send(
        JSON.stringify({
          v: V,
          type: 'state',
          sender: 'x',
          seq: change,
          stamp: [Date.now(), change, 'x'],
          vector: { position: change, velocity: 1, timestamp: Date.now() },
          rate: 1,
          playing: true,
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  clearInterval(pinger);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const elapsed = (Date.now() - started) / 1000;
  const cpu = relays.reduce((sum, r) => sum + cpuSeconds(r.child.pid), 0) - cpuBefore;
  const delays = [...sentAt].filter(([id]) => lastReceipt.has(id)).map(([id, at]) => lastReceipt.get(id) - at);
  const active = received.filter((_, i) => i % rooms !== idleRoom);
  const idle = received.filter((_, i) => i % rooms === idleRoom);
  for (const socket of [...sockets, ...leaders]) socket.terminate();
  const result = {
    setup: label,
    clients: CLIENTS,
    roomSize: ROOM_SIZE,
    changesSent: change,
    changesDelivered: delays.length,
    messagesPerClientPerSecondActive: active.reduce((a, b) => a + b, 0) / active.length / elapsed,
    messagesPerClientPerSecondIdle: idle.reduce((a, b) => a + b, 0) / Math.max(1, idle.length) / elapsed,
    relayCpuShareOfOneCore: cpu / elapsed,
    relayMemoryPerConnectionBytes: (memoryAfter - memoryBefore) / CLIENTS,
    lastReceiptDelayP50Ms: quantile(delays, 0.5),
    lastReceiptDelayP99Ms: quantile(delays, 0.99),
  };
  console.log(JSON.stringify(result));
  return result;
}

const results = [];
{
  const relay = await startRelay([]);
  try {
    results.push(await run('one relay', [relay]));
  } finally {
    relay.child.kill();
  }
}
if (values['redis-too']) {
  const redis = await startRedis();
  const relays = await Promise.all([0, 1, 2].map(() => startRelay(['--redis', redis.url])));
  try {
    results.push(await run('three relays + Redis', relays));
  } finally {
    for (const relay of relays) relay.child.kill();
    redis.child.kill();
  }
}
console.error(
  '\n| setup | clients | msgs/client/s (active room) | msgs/client/s (idle room) | relay CPU (of one core) | memory/connection | change to last receipt p50 | p99 |',
);
console.error('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.error(
    `| ${r.setup} | ${r.clients} | ${r.messagesPerClientPerSecondActive.toFixed(2)} | ${r.messagesPerClientPerSecondIdle.toFixed(2)} | ${(r.relayCpuShareOfOneCore * 100).toFixed(0)}% | ${(r.relayMemoryPerConnectionBytes / 1024).toFixed(1)} KB | ${r.lastReceiptDelayP50Ms} ms | ${r.lastReceiptDelayP99Ms} ms |`,
  );
}
process.exit(0);
