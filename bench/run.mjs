#!/usr/bin/env node
// The benchmark: lottie-sync against plain lottie-web and per-frame
// broadcasting, side by side in one run, in the system Chromium.
//
//   node bench/run.mjs --quick            (npm run bench)
//   node bench/run.mjs --full             (npm run bench:full)
//   node bench/run.mjs --n 50 --file dalek.json --variants lottie-sync,plain --window 5
//   node bench/run.mjs --n 200 --file dalek.json --stagger   (each player in its own group, all on different frames)
//
// Each run is a fresh browser. Output: one JSON line per run on stdout and in
// bench/results/<time>.jsonl, then a markdown table of ratios against plain
// lottie-web at the same N and file (bench/results/<time>.md).
import { mkdirSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, executablePath } from '../scripts/chromium.mjs';
import { cpuSeconds, memoryBytes } from './process-stats.mjs';
import { startServer } from './server.mjs';
import { markdownTable } from './table.mjs';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    n: { type: 'string' },
    file: { type: 'string' },
    variants: { type: 'string' },
    window: { type: 'string' },
    'ready-timeout': { type: 'string', default: '30' },
    'on-screen': { type: 'string' },
    stagger: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

// A variant is a page and the query it adds. lottie-sync is the stage with its
// defaults (the adaptive draw rate, one surface drawn by a render worker); lottie-sync-tiers the design
// doc's count table (`tiers`, 10 draws a second above 25 players); lottie-sync-auto
// says fps="auto" (the default since the full-rate issue; the earlier runs' name).
// lottie-sync-main is fps="auto" drawing on the main thread (render="main"),
// lottie-sync-workers render workers drawing into each player's canvas (render="workers", the
// default until the surface became it), lottie-sync-surface the surface asked for (render="surface").
const PAGES = {
  'lottie-sync': { page: 'lottie-sync.html' },
  'lottie-sync-tiers': { page: 'lottie-sync.html', query: { tiers: '' } },
  'lottie-sync-auto': { page: 'lottie-sync.html', query: { fps: 'auto' } },
  'lottie-sync-main': { page: 'lottie-sync.html', query: { fps: 'auto', render: 'main' } },
  'lottie-sync-surface': { page: 'lottie-sync.html', query: { render: 'surface' } },
  'lottie-sync-workers': { page: 'lottie-sync.html', query: { render: 'workers' } },
  // Every player with a background of its own: the default's worst page (no player on the surface).
  'lottie-sync-carded': { page: 'lottie-sync.html', query: { 'player-background': '#fafafa' } },
  // What the expression sandbox costs: the same stage with expressions run in the
  // page (trusting the file) or not at all, against the default sandboxed realm.
  'lottie-sync-expr-page': { page: 'lottie-sync.html', query: { fps: 'auto', expressions: 'page' } },
  'lottie-sync-expr-off': { page: 'lottie-sync.html', query: { fps: 'auto', expressions: 'off' } },
  // The surface with expressions off: what the sandbox realm costs a page of many distinct files (mix20 has 9 files with expressions).
  'lottie-sync-surface-expr-off': { page: 'lottie-sync.html', query: { render: 'surface', expressions: 'off' } },
  plain: { page: 'plain.html' },
  broadcast: { page: 'broadcast.html' },
};
const VARIANTS = ['lottie-sync', 'lottie-sync-tiers', 'lottie-sync-main', 'lottie-sync-workers', 'plain', 'broadcast'];
const FILES = { light: 'lights.json', medium: 'dalek.json', heavy: 'bodymovin.json' };

function matrix() {
  const variants = options.variants?.split(',') ?? VARIANTS;
  if (options.n || options.file) {
    const counts = (options.n ?? '50').split(',').map(Number);
    const files = (options.file ?? FILES.medium).split(',');
    const onScreen = options['on-screen'] ? Number(options['on-screen']) : undefined;
    return { window: Number(options.window ?? 5), runs: cross(variants, counts, files, onScreen, options.stagger) };
  }
  if (options.full) {
    const runs = [];
    for (const file of Object.values(FILES)) runs.push(...cross(variants, [10, 25, 50, 100, 200], [file]));
    runs.push(...cross(variants, [1000], [FILES.medium], 50));
    runs.push(...cross(variants, [200], ['mix20']));
    runs.push(...cross(['lottie-sync', 'lottie-sync-main', 'plain'], [200], [FILES.medium], undefined, true));
    return { window: Number(options.window ?? 8), runs };
  }
  // Quick: the headline case and a small one, under three minutes.
  return { window: Number(options.window ?? 4), runs: [...cross(variants, [25, 200], [FILES.medium])] };
}

function cross(variants, counts, files, onScreen, stagger = false) {
  const runs = [];
  for (const file of files) for (const n of counts) for (const variant of variants) runs.push({ variant, n, file, onScreen, stagger });
  return runs;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function launch() {
  const server = await chromium.launchServer({
    executablePath,
    headless: true,
    args: [...chromiumArgs, '--enable-precise-memory-info'],
  });
  const browser = await chromium.connect(server.wsEndpoint());
  return { server, browser, pid: server.process().pid };
}

async function heapAndNodes(client) {
  await client.send('HeapProfiler.collectGarbage');
  await client.send('HeapProfiler.collectGarbage');
  const { usedSize } = await client.send('Runtime.getHeapUsage');
  const { metrics } = await client.send('Performance.getMetrics');
  const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? 0;
  return { heap: usedSize, nodes };
}

async function taskDuration(client) {
  const { metrics } = await client.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

/** One measured page in a fresh browser. */
async function measure(origin, page_, query, windowSeconds, readyTimeout) {
  const { server, browser, pid } = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1000 } });
    const page = await context.newPage();
    const client = await context.newCDPSession(page);
    await client.send('Performance.enable');
    const started = Date.now();
    await page.goto(`${origin}/bench/pages/${page_}?${query}`, { waitUntil: 'load', timeout: 60000 });
    let readyMs = null;
    try {
      await page.waitForFunction(() => window.benchHarness?.readyAt !== null, null, { timeout: readyTimeout * 1000, polling: 100 });
      readyMs = await page.evaluate(() => window.benchHarness.readyAt);
    } catch {
      readyMs = null; // not ready in time: measured as it is
    }
    await sleep(1000);
    const cpuBefore = cpuSeconds(pid);
    const taskBefore = await taskDuration(client);
    await page.evaluate(() => window.benchHarness.start());
    const wallBefore = performance.now();
    await sleep(windowSeconds * 1000);
    const sampled = await page.evaluate(() => window.benchHarness.stop());
    const wall = (performance.now() - wallBefore) / 1000;
    const busy = (await taskDuration(client)) - taskBefore;
    const cpu = cpuSeconds(pid) - cpuBefore;
    const memory = await heapAndNodes(client);
    const processMemory = memoryBytes(pid);
    const chromiumVersion = browser.version();
    await context.close();
    return {
      ...sampled,
      readyMs,
      mainThreadBusy: busy / wall,
      cpuCores: cpu / wall,
      heapBytes: memory.heap,
      domNodes: memory.nodes,
      processMemoryBytes: processMemory,
      chromiumVersion,
      wallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  }
}

async function main() {
  if (!existsSync(new URL('../dist/cdn/lottie-sync.js', import.meta.url))) {
    console.error('dist/cdn/lottie-sync.js is missing: run `npm run build` first (npm run bench does).');
    process.exit(1);
  }
  const { window, runs } = matrix();
  const readyTimeout = Number(options['ready-timeout']);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const jsonl = options.out ?? new URL(`${stamp}.jsonl`, dir).pathname;
  const { origin, close } = await startServer();
  const results = [];
  try {
    const baseline = await measure(origin, 'empty.html', '', 1, 5);
    console.error(
      `empty page: heap ${(baseline.heapBytes / 1e6).toFixed(1)} MB, processes ${(baseline.processMemoryBytes / 1e6).toFixed(0)} MB`,
    );
    for (const [index, run] of runs.entries()) {
      const { page, query: extra = {} } = PAGES[run.variant] ?? { page: `${run.variant}.html` };
      const query = new URLSearchParams({ n: String(run.n), file: run.file, ...extra });
      if (run.onScreen) query.set('onScreen', String(run.onScreen));
      if (run.stagger) query.set('stagger', '1');
      console.error(
        `[${index + 1}/${runs.length}] ${run.variant} n=${run.n} ${run.file}${run.onScreen ? ` (${run.onScreen} on screen)` : ''}${run.stagger ? ' staggered' : ''}`,
      );
      const measured = await measure(origin, page, query.toString(), window, readyTimeout);
      const result = {
        ...run,
        window,
        ...measured,
        heapPerPlayerBytes: (measured.heapBytes - baseline.heapBytes) / run.n,
        domNodesPerPlayer: (measured.domNodes - baseline.domNodes) / run.n,
        processMemoryPerPlayerBytes: (measured.processMemoryBytes - baseline.processMemoryBytes) / run.n,
        date: new Date().toISOString(),
      };
      results.push(result);
      const line = JSON.stringify(result);
      console.log(line);
      appendFileSync(jsonl, `${line}\n`);
    }
  } finally {
    await close();
  }
  const table = markdownTable(results);
  writeFileSync(jsonl.replace(/\.jsonl$/, '.md'), table);
  console.error(`\n${table}\nResults: ${jsonl}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
