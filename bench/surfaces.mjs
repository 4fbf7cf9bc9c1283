#!/usr/bin/env node
// What putting frames on screen costs, by surface layout and thread, with no
// lottie-web at all (bench/pages/surfaces.html): N tiles of 96 px at 30 new
// frames a second, as a stage that draws once copies its kept frames. It
// separates the cost of the surfaces (canvases, compositor) from drawing.
//
//   node bench/surfaces.mjs [--n 200] [--modes canvases-main,canvases-worker,bitmaps,one-main,one-worker] [--window 5] [--runs 2]
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, executablePath } from '../scripts/chromium.mjs';
import { cpuSeconds } from './process-stats.mjs';
import { startServer } from './server.mjs';

const { values: options } = parseArgs({
  options: {
    n: { type: 'string', default: '200' },
    modes: { type: 'string', default: 'canvases-main,canvases-worker,bitmaps,one-main,one-worker' },
    window: { type: 'string', default: '5' },
    runs: { type: 'string', default: '2' },
  },
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(origin, mode) {
  const server = await chromium.launchServer({ executablePath, headless: true, args: chromiumArgs });
  const pid = server.process().pid;
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1000 } });
    const client = await page.context().newCDPSession(page);
    await client.send('Performance.enable');
    await page.goto(`${origin}/bench/pages/surfaces.html?n=${options.n}&mode=${mode}`);
    await page.waitForFunction(() => window.benchReady === true);
    await sleep(1500);
    const busy = async () => (await client.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    const [cpu0, busy0, frames0, t0] = [cpuSeconds(pid), await busy(), await page.evaluate(() => window.benchFrames), performance.now()];
    await sleep(Number(options.window) * 1000);
    const [cpu1, busy1, frames1, t1] = [cpuSeconds(pid), await busy(), await page.evaluate(() => window.benchFrames), performance.now()];
    const wall = (t1 - t0) / 1000;
    return {
      mode,
      n: Number(options.n),
      framesPerSecond: (frames1 - frames0) / wall,
      mainThreadBusy: (busy1 - busy0) / wall,
      cpuCores: (cpu1 - cpu0) / wall,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

const { origin, close } = await startServer();
const results = [];
try {
  for (let run = 0; run < Number(options.runs); run += 1)
    for (const mode of options.modes.split(',')) {
      const result = await measure(origin, mode);
      console.log(JSON.stringify(result));
      results.push(result);
    }
} finally {
  await close();
}
console.log(`\n| ${options.n} tiles of 96 px, 30 frames/s | frames/s | main busy | CPU (cores) |\n| --- | --- | --- | --- |`);
for (const mode of options.modes.split(',')) {
  const rows = results.filter((r) => r.mode === mode);
  const range = (key, format) => rows.map((r) => format(r[key])).join(' / ');
  console.log(
    `| ${mode} | ${range('framesPerSecond', (v) => v.toFixed(0))} | ${range('mainThreadBusy', (v) => `${(v * 100).toFixed(0)}%`)} | ${range('cpuCores', (v) => v.toFixed(2))} |`,
  );
}
