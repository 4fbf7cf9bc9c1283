// Helpers for the relay tests: real relay processes and real redis-server on loopback.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

/** The wire protocol version the tests speak. */
export const V = 2;

const CLI = new URL('../../relay/dist/relay/cli.js', import.meta.url).pathname;

/** Starts `lottie-sync-relay` on a free port; resolves when it listens. */
export async function startRelay(args = []) {
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  for await (const chunk of child.stdout) {
    output += chunk;
    const match = /listening on ws:\/\/[\d.]+:(\d+)/.exec(output);
    if (match) return { child, port: Number(match[1]), url: `ws://127.0.0.1:${match[1]}` };
  }
  throw new Error(`relay did not start: ${output}`);
}

/** A client that collects what the relay sends. */
export async function connect(url) {
  const socket = new WebSocket(url);
  const inbox = [];
  const waiters = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    inbox.push(message);
    for (const waiter of [...waiters]) {
      if (!waiter.match(message)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  await once(socket, 'open');
  return {
    socket,
    inbox,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify({ v: V, sender: 'tester', ...message })),
    next(match = () => true, ms = 3000) {
      const found = inbox.find(match);
      if (found) {
        inbox.splice(inbox.indexOf(found), 1);
        return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no such message in time')), ms);
        waiters.push({
          match,
          resolve: (m) => {
            clearTimeout(timer);
            inbox.splice(inbox.indexOf(m), 1);
            resolve(m);
          },
        });
      });
    },
    close: () => socket.close(),
  };
}

/** A free loopback port. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts redis-server on `port` (a fresh one if not given), persisting to a temp folder so a restart keeps the data (`extraArgs` override). */
export async function startRedis(port, dir = mkdtempSync(join(tmpdir(), 'lottie-sync-redis-')), extraArgs = []) {
  port ??= await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', ...extraArgs];
  const child = spawn('redis-server', args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  for await (const chunk of child.stdout) {
    output += chunk;
    if (output.includes('Ready to accept connections')) {
      child.stdout.resume();
      return { child, port, dir, url: `redis://127.0.0.1:${port}` };
    }
  }
  throw new Error(`redis-server did not start: ${output}`);
}

let seq = 0;

/** A change as a client makes it: stamped now, on this machine's clock (the relay's, on loopback). */
export const state = (position, playing = true) => {
  seq += 1;
  return {
    type: 'state',
    seq,
    stamp: [Date.now(), seq, 'tester'],
    vector: { position, velocity: playing ? 1 : 0, timestamp: Date.now() },
    rate: 1,
    playing,
  };
};

export const ofType = (type) => (message) => message.type === type;

/** Resolves once `check()` is true (polled every 50 ms), to the ms it took; rejects after `ms`. */
export async function waitFor(check, ms = 5000, what = 'condition') {
  const started = Date.now();
  for (;;) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function health(port) {
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  return { code: response.status, ...(await response.json()) };
}
