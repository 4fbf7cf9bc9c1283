#!/usr/bin/env node
// lottie-web's own limit on this machine: the canvas renderer's time per frame
// for each file (every frame drawn in turn, nothing else on the page), and what
// drawing each distinct file at its full frame rate asks of the CPU. The
// stage draws each file's frame once per display frame whatever the number of
// players, so for `mix20` this is the floor of its cost at 100% of frames
// before kept frames (copies) take over.
//
//   node bench/renderer-limit.mjs                     (mix20, 96 px)
//   node bench/renderer-limit.mjs --file dalek.json --size 192 --passes 3
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, executablePath } from '../scripts/chromium.mjs';
import { startServer } from './server.mjs';

const { values: options } = parseArgs({
  options: {
    file: { type: 'string', default: 'mix20' },
    size: { type: 'string', default: '96' },
    passes: { type: 'string', default: '2' },
    step: { type: 'string', default: '1' },
  },
});

const { origin, close } = await startServer();
const browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs });
try {
  const page = await browser.newPage();
  const query = new URLSearchParams({ file: options.file, size: options.size, passes: options.passes, step: options.step });
  await page.goto(`${origin}/bench/pages/renderer-limit.html?${query}`);
  await page.waitForFunction(() => window.limits !== undefined, null, { timeout: 300_000, polling: 200 });
  const limits = await page.evaluate(() => window.limits);
  if (!Array.isArray(limits)) throw new Error(`the page failed: ${limits.error}`);
  // Copies under another query string (mix20's second half) are the same file drawn again.
  const names = new URLSearchParams({ file: options.file });
  const files = await page.evaluate((query) => window.benchFiles(new URLSearchParams(query), 20), names.toString());
  const count = new Map();
  for (const url of files) count.set(url, (count.get(url) ?? 0) + 1);
  const bytesPerFrame = Number(options.size) ** 2 * 4;
  let demand = 0;
  let loopMs = 0;
  let keptBytes = 0;
  console.log(`| file | frames | fps | ms per frame p50 / mean / p95 | render ms per second at full rate |`);
  console.log(`| --- | --- | --- | --- | --- |`);
  for (const url of files) {
    const base = url.replace(/\?.*$/, '');
    const limit = limits.find((entry) => entry.url === base) ?? limits.find((entry) => entry.url === url);
    const perSecond = limit.meanMs * limit.fps;
    demand += perSecond;
    loopMs += limit.meanMs * limit.frames;
    keptBytes += limit.frames * bytesPerFrame;
    if (count.get(url) !== undefined) {
      const name = url.split('/').pop();
      console.log(
        `| ${name} | ${limit.frames} | ${limit.fps} | ${limit.p50Ms.toFixed(2)} / ${limit.meanMs.toFixed(2)} / ${limit.p95Ms.toFixed(2)} | ${perSecond.toFixed(0)} |`,
      );
    }
  }
  const summary = {
    file: options.file,
    size: Number(options.size),
    distinctFiles: files.length,
    renderMsPerSecond: demand,
    coresAtFullRate: demand / 1000,
    oneLoopOfEveryFileMs: loopMs,
    keptFramesMB: keptBytes / 2 ** 20,
    chromiumVersion: browser.version(),
    date: new Date().toISOString(),
  };
  console.log(`\n${JSON.stringify(summary)}`);
  console.log(
    `\n${files.length} distinct files at ${options.size} px: every frame of each at its own rate asks ${demand.toFixed(0)} ms of lottie-web rendering a second (${(demand / 1000).toFixed(2)} cores), before kept frames; one loop of every file is ${(loopMs / 1000).toFixed(1)} s of rendering, and keeping every frame takes ${(keptBytes / 2 ** 20).toFixed(0)} MB.`,
  );
} finally {
  await browser.close();
  await close();
}
