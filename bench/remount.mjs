#!/usr/bin/env node
// Memory over a long session: a stage of 200 players mounted and removed again
// and again (a single-page app changing routes), in the system Chromium with no
// DevTools attached. Memory is read from /proc for each browser process by its
// type (browser, GPU, renderer, utility; private dirty memory), at cycle 10 and at the end.
//
//   node bench/remount.mjs [--cycles 300] [--n 200] [--render auto,workers,main]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumArgs, executablePath } from '../scripts/chromium.mjs';
import { processTree } from './process-stats.mjs';
import { startServer } from './server.mjs';

const { values: options } = parseArgs({
  options: {
    cycles: { type: 'string', default: '300' },
    n: { type: 'string', default: '200' },
    render: { type: 'string', default: 'auto,workers,main' },
    'early-cycle': { type: 'string', default: '10' },
  },
});
const cycles = Number(options.cycles);
const early = Number(options['early-cycle']);

/**
 * Private dirty memory (anonymous pages only the process has written: its heap, not its code)
 * plus any of it swapped out, in bytes, of each process under `root`, summed by Chromium
 * process type. Unlike PSS it does not move when other processes share pages differently, and
 * unlike clean pages the kernel cannot drop it under memory pressure (this VM reclaims cold
 * pages), so it shows what a process itself has grown by.
 */
function memoryByType(root) {
  const totals = {};
  for (const pid of processTree(root)) {
    try {
      // Chromium rewrites its children's command lines (one string with spaces), so search the whole of it.
      const type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      const label = type === 'utility' ? 'utility' : type === 'gpu-process' ? 'gpu' : type;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
      totals[label] = (totals[label] ?? 0) + field('Private_Dirty') + field('Swap');
    } catch {
      // the process ended meanwhile
    }
  }
  return totals;
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function run(render) {
  let cycle = 0;
  const waiters = [];
  const server = await startServer({
    '/__progress': (params) => {
      cycle = Number(params.get('cycle'));
      for (const waiter of [...waiters]) if (cycle >= waiter.at) waiter.resolve();
    },
  });
  const profile = mkdtempSync(join(tmpdir(), 'lottie-sync-remount-'));
  const url = `${server.origin}/bench/pages/remount.html?n=${options.n}&cycles=${cycles}&render=${render}`;
  // A process group of its own: /usr/bin/chromium is a script whose children are the browser.
  const browser = spawn(executablePath, [...chromiumArgs, '--headless', '--window-size=1920,1000', `--user-data-dir=${profile}`, url], {
    stdio: 'ignore',
    detached: true,
  });
  const reached = (at) => new Promise((resolve) => (cycle >= at ? resolve() : waiters.push({ at, resolve })));
  const started = Date.now();
  try {
    await reached(early);
    const before = memoryByType(browser.pid);
    await reached(cycles);
    const after = memoryByType(browser.pid);
    return { render, before, after, seconds: (Date.now() - started) / 1000 };
  } finally {
    const exited = browser.exitCode === null ? new Promise((resolve) => browser.once('exit', resolve)) : null;
    try {
      process.kill(-browser.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
    await server.close();
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (error) {
      console.error(`could not remove ${profile}: ${error.message}`);
    }
  }
}

const rows = [];
for (const render of options.render.split(',')) {
  const result = await run(render);
  console.log(JSON.stringify(result));
  rows.push(result);
}
console.log(`\n| render | process | MB at cycle ${early} | MB at cycle ${cycles} | growth (MB) |\n| --- | --- | --- | --- | --- |`);
for (const { render, before, after } of rows) {
  for (const type of Object.keys(after).sort()) {
    console.log(`| ${render} | ${type} | ${mb(before[type] ?? 0)} | ${mb(after[type])} | ${mb(after[type] - (before[type] ?? 0))} |`);
  }
  const watched = (m) => (m.browser ?? 0) + (m.gpu ?? 0);
  console.log(
    `| ${render} | browser + GPU | ${mb(watched(before))} | ${mb(watched(after))} | **${mb(watched(after) - watched(before))}** |`,
  );
}
