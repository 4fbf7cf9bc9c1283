// Builds the Storybook (as `npm run build-storybook` does, from the build in
// dist/ that `npm test` makes first) and opens every story and docs page in
// the system Chromium: each must render its elements (every player drawn or
// showing its error fallback) with no page error and no console error.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, executablePath } from '../../scripts/chromium.mjs';
import { startServer } from '../../bench/server.mjs';
import { argTypesOf } from '../../stories/manifest-controls.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${ROOT}storybook-static/`;

/**
 * Whether every player in view has drawn or failed (its error fallback), and
 * (with `needsOne`) one is in view: the page has laid out. Players out of view
 * draw nothing until they come in view (the stage culls them): a docs page is
 * scrolled through.
 */
function settled(needsOne) {
  const players = [...document.querySelectorAll('lottie-sync-player')];
  const inView = players.filter((player) => {
    const box = player.getBoundingClientRect();
    return box.bottom > 0 && box.top < innerHeight;
  });
  return (
    players.length > 0 &&
    (inView.length > 0 || !needsOne) &&
    inView.every((player) => player.state === 'error' || (player.state !== 'loading' && player.currentFrame >= 0))
  );
}

test("the stories' controls come from custom-elements.json, fitting each attribute's type", () => {
  const manifest = JSON.parse(readFileSync(`${ROOT}custom-elements.json`, 'utf8'));
  const player = argTypesOf(manifest, 'lottie-sync-player');
  const stage = argTypesOf(manifest, 'lottie-sync-stage');
  const group = argTypesOf(manifest, 'lottie-sync-group');
  assert.equal(player.src.control, 'text');
  assert.equal(stage.render.control, 'select');
  assert.deepEqual(stage.render.options, [undefined, 'auto', 'surface', 'workers', 'main']);
  assert.deepEqual(group.sync.options, [undefined, 'realtime', 'batched', 'lazy']);
  assert.equal(group.batch.control, 'number');
  assert.equal(stage.autoplay.control, 'boolean');
  assert.equal(stage.fps.control, 'text', 'a number or auto');
  // Every attribute of every element has a control, with the manifest's description.
  for (const [tag, argTypes] of [
    ['lottie-sync-player', player],
    ['lottie-sync-stage', stage],
    ['lottie-sync-group', group],
  ]) {
    const declaration = manifest.modules.flatMap((module) => module.declarations ?? []).find((d) => d.tagName === tag);
    assert.deepEqual(
      Object.keys(argTypes),
      declaration.attributes.map((attribute) => attribute.name),
      tag,
    );
    for (const attribute of declaration.attributes) assert.equal(argTypes[attribute.name].description, attribute.description);
  }
});

test('Storybook builds, and every story and docs page renders with no page or console error', { timeout: 300_000 }, async (t) => {
  await run(process.execPath, ['scripts/storybook-docs.mjs'], { cwd: ROOT });
  await run(process.execPath, ['node_modules/storybook/dist/bin/dispatcher.js', 'build', '--output-dir', OUT, '--quiet'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const index = JSON.parse(readFileSync(`${OUT}index.json`, 'utf8'));
  const entries = Object.values(index.entries);
  const stories = entries.filter((entry) => entry.type === 'story');
  const docs = entries.filter((entry) => entry.type === 'docs');
  // A story for each element and for each guide's examples; a docs page per guide and per element.
  for (const title of ['Elements/Stage', 'Elements/Player', 'Elements/Group', 'Examples/Errors'])
    assert.ok(
      stories.some((story) => story.title === title),
      `stories of ${title}`,
    );
  for (const title of [
    'Guides/Sync model',
    'Guides/Stage and draw rate',
    'Guides/Groups',
    'Guides/Workers',
    'Guides/Relay',
    'Guides/Errors',
  ])
    assert.ok(
      docs.some((page) => page.title === title),
      `docs page ${title}`,
    );
  assert.ok(
    docs.some((page) => page.title === 'Elements/Stage'),
    'the stage has a docs page of its own (autodocs)',
  );

  const server = await startServer({}, OUT);
  const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
  t.after(async () => {
    await browser.close();
    await server.close();
  });
  for (const entry of [...stories, ...docs]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = [];
    // The errors story asks for a missing file on purpose: the browser logs that 404 itself.
    const allowed404 = entry.tags?.includes('expects-404') || entry.id === 'guides-errors--docs';
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (allowed404 && /status of 404/.test(message.text())) return;
      problems.push(`console error: ${message.text()}`);
    });
    await page.goto(`${server.origin}/iframe.html?id=${entry.id}&viewMode=${entry.type === 'docs' ? 'docs' : 'story'}`);
    const pageHasPlayers = !['guides-relay--docs', 'guides-hostile-files--docs'].includes(entry.id);
    if (pageHasPlayers) {
      const height = await page.evaluate(() => document.body.scrollHeight);
      for (let y = 0; y < height; y += 800) {
        await page.evaluate((top) => scrollTo(0, top), y);
        await page
          .waitForFunction(settled, y === 0 && entry.type === 'story', { timeout: 60_000 })
          .catch(() => problems.push(`its players at ${y} px never drew nor failed`));
      }
    } else {
      await page.waitForSelector('.sbdocs-content', { timeout: 60_000 }).catch(() => problems.push('the docs page never rendered'));
    }
    if (entry.id === 'examples-errors--every-fallback') {
      // Each failing player says why with its own code (its caption shows it), and the good one plays on.
      await page
        .waitForFunction(
          () => {
            const captions = [...document.querySelectorAll('figcaption[data-expected]')];
            return captions.length > 0 && captions.every((caption) => caption.dataset.code);
          },
          null,
          { timeout: 60_000 },
        )
        .catch(() => undefined);
      const cases = await page.$$eval('figcaption[data-expected]', (all) =>
        all.map(({ dataset }) => [dataset.expected, dataset.code ?? 'none']),
      );
      assert.equal(cases.length, 7, 'the error cases');
      for (const [expected, code] of cases) assert.equal(code, expected, `the ${expected} case`);
      await page
        .waitForFunction(() => {
          const good = document.querySelector('lottie-sync-player');
          return good.state === 'playing' && good.currentFrame >= 0;
        })
        .catch(() => problems.push('the good file beside them never played'));
    }
    assert.deepEqual(problems, [], `${entry.title} / ${entry.name}`);
    await page.close();
  }
});
