#!/usr/bin/env node
// Relay memory under a flood from clients that send as fast as they can and
// never read what the relay sends back (their sockets are paused). Each
// flooder reconnects whenever the relay drops it, so the flood lasts the whole
// run. Reports the relay's resident memory (RSS) at the start and its peak,
// how often the relay dropped a flooder, and how many frames were sent.
//
//   node bench/relay-flood.mjs [--seconds 60] [--modes garbage,pings] [--relay-args="--max-ping-rate 1000000"]
//
// Modes: `garbage` sends text that is not JSON (each one an error for the
// relay), `pings` sends clock pings (beyond the ping rate they are errors
// too; with a high --max-ping-rate every one is answered, which fills the
// relay's send buffer for a client that does not read).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { V, startRelay } from '../test/relay/helpers.mjs';

export function rssBytes(pid) {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
}

const FRAMES = {
  garbage: () => 'not json at all, and quite a lot of it '.repeat(20),
  pings: (i) => JSON.stringify({ v: V, type: 'ping', sender: 'flood', id: i, t0: i }),
};

/** Keeps one non-reading client flooding `url` until `until` (ms epoch), or its first drop with `untilDropped`; resolves to its counts. */
async function flooder(url, mode, until, untilDropped) {
  let drops = 0;
  let frames = 0;
  while (Date.now() < until && !(untilDropped && drops > 0)) {
    const socket = new WebSocket(url);
    const closed = new Promise((resolve) => {
      socket.once('close', resolve);
      socket.once('error', () => resolve());
    });
    const opened = await Promise.race([new Promise((resolve) => socket.once('open', () => resolve(true))), closed.then(() => false)]);
    if (!opened) continue;
    socket._socket.pause(); // never read: the relay's replies pile up on its side
    let open = true;
    void closed.then(() => (open = false));
    while (open && Date.now() < until) {
      // In batches, staying a little ahead of the relay: our own buffer is not what is measured.
      for (let i = 0; i < 200 && socket.readyState === WebSocket.OPEN && socket.bufferedAmount < 256 * 1024; i += 1) {
        socket.send(FRAMES[mode](frames));
        frames += 1;
      }
      await new Promise((resolve) => (socket.bufferedAmount < 256 * 1024 ? setImmediate(resolve) : setTimeout(resolve, 1)));
    }
    if (open) {
      socket.terminate();
      await closed;
    } else {
      drops += 1;
    }
  }
  return { mode, drops, frames };
}

/** Floods the relay process `pid` at `url` for `seconds` (at most, with `untilDropped`); resolves to memory figures and the flooders' counts. */
export async function flood({ url, pid, seconds, modes = ['garbage', 'pings'], untilDropped = false }) {
  const rssBefore = rssBytes(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    try {
      rssPeak = Math.max(rssPeak, rssBytes(pid));
    } catch {
      // the process is gone: the caller sees it
    }
  }, 100);
  const until = Date.now() + seconds * 1000;
  try {
    const flooders = await Promise.all(modes.map((mode) => flooder(url, mode, until, untilDropped)));
    return { seconds, rssBefore, rssPeak, rssGrowth: rssPeak - rssBefore, flooders };
  } finally {
    clearInterval(sampler);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      modes: { type: 'string', default: 'garbage,pings' },
      'relay-args': { type: 'string', default: '' },
    },
  });
  const relay = await startRelay(values['relay-args'].split(' ').filter(Boolean));
  try {
    // Let the relay settle after start-up (JIT, first allocations) before the baseline.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const result = await flood({ url: relay.url, pid: relay.child.pid, seconds: Number(values.seconds), modes: values.modes.split(',') });
    console.log(JSON.stringify(result));
    console.error(
      `relay RSS ${(result.rssBefore / 2 ** 20).toFixed(1)} MB before, peak ${(result.rssPeak / 2 ** 20).toFixed(1)} MB: grew ${(result.rssGrowth / 2 ** 20).toFixed(1)} MB over ${result.seconds} s; ` +
        result.flooders.map((f) => `${f.mode}: ${f.frames} frames, dropped ${f.drops} times`).join('; '),
    );
  } finally {
    relay.child.kill('SIGKILL');
  }
  process.exit(0);
}
