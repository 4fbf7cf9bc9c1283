// The package as a user gets it: packed, installed into an empty folder, and
// used there: imports in plain Node (no DOM), TypeScript types for a consumer,
// the relay's command, and the CDN file on a plain page of another origin.
// (npm test builds first; this packs what was built.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumArgs, executablePath } from '../../scripts/chromium.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
let folder;

function npm(args, cwd) {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' },
  });
}

/** Type-checks `source` as a TypeScript file of the consumer (strict, DOM, the package as installed). */
function typeCheck(name, source) {
  writeFileSync(join(folder.path, `${name}.ts`), source);
  writeFileSync(
    join(folder.path, `tsconfig.${name}.json`),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'ES2022',
        moduleResolution: 'bundler',
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        noEmit: true,
        skipLibCheck: false,
      },
      files: [`${name}.ts`],
    }),
  );
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${name}.json`], {
    cwd: folder.path,
    encoding: 'utf8',
  });
}

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'lottie-sync-package-'));
  // Both packages, as `npm publish` would pack them (already built: no prepack here).
  const packed = JSON.parse(
    npm(['pack', '--ignore-scripts', '--json', '--pack-destination', folder, '--workspaces', '--include-workspace-root'], ROOT),
  );
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--no-package-lock', ...packed.map((pack) => join(folder, pack.filename))], folder);
  folder = { path: folder, packed };
});

after(() => rmSync(folder.path, { recursive: true, force: true }));

test('the tarball holds what the exports name, the manifest, LICENSE; the browser package pulls no server stack', () => {
  const main = folder.packed.find((pack) => pack.name === 'lottie-sync');
  const files = new Set(main.files.map((file) => file.path));
  for (const file of [
    'dist/index.js',
    'dist/define.js',
    'dist/cdn/lottie-sync.js',
    'dist/cdn/lottie-sync-worker.js',
    'dist/cdn/lottie-sync-sandbox.js',
    'custom-elements.json',
    'LICENSE',
    'README.md',
  ]) {
    assert.ok(files.has(file), `${file} is in the tarball`);
  }
  assert.ok(![...files].some((file) => file.startsWith('src/')), 'no sources: the source maps carry them');
  const pkg = JSON.parse(readFileSync(join(folder.path, 'node_modules/lottie-sync/package.json'), 'utf8'));
  const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
  for (const target of targets(pkg.exports).map((path) => path.slice(2))) {
    assert.ok(files.has(target), `exports name ${target}, which is in the tarball`);
  }
  assert.ok(files.has(pkg.customElements) && files.has(pkg.unpkg.slice(2)) && files.has(pkg.jsdelivr.slice(2)));
  const manifest = JSON.parse(readFileSync(join(folder.path, 'node_modules/lottie-sync', pkg.customElements), 'utf8'));
  for (const module of manifest.modules) assert.ok(files.has(module.path), `the manifest's module ${module.path} is in the tarball`);
  const map = JSON.parse(readFileSync(join(folder.path, 'node_modules/lottie-sync/dist/stage/lottie-sync-stage.js.map'), 'utf8'));
  assert.ok(map.sourcesContent?.[0]?.includes('class LottieSyncStage'), 'source maps carry their sources');
  // A browser install pulls neither ws nor ioredis: they are the relay package's.
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), ['fflate', 'lit', 'lottie-web']);
  const relay = JSON.parse(readFileSync(join(folder.path, 'node_modules/lottie-sync-relay/package.json'), 'utf8'));
  assert.deepEqual(Object.keys(relay.dependencies).sort(), ['ioredis', 'ws']);
});

test('every entry point imports in plain Node, with no DOM', () => {
  const entries = [
    'lottie-sync',
    'lottie-sync/define.js',
    'lottie-sync/stage/define.js',
    'lottie-sync/player/define.js',
    'lottie-sync/group/define.js',
    'lottie-sync/cdn/lottie-sync.js',
  ];
  const script = `for (const entry of ${JSON.stringify(entries)}) await import(entry); const { LottieSyncStage } = await import('lottie-sync'); console.log(typeof document, typeof LottieSyncStage);`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: folder.path, encoding: 'utf8' });
  assert.equal(output.trim(), 'undefined function');
});

test('types resolve for a TypeScript consumer: the elements, their properties and the typed events', () => {
  typeCheck(
    'consumer',
    `import 'lottie-sync/define.js';
import { LottieSyncStage, type LottieSyncErrorEvent, type StageMetrics } from 'lottie-sync';
const stage: LottieSyncStage = document.createElement('lottie-sync-stage');
const player = document.createElement('lottie-sync-player');
player.src = '/anims/dalek.json';
player.loop = 3;
player.playOn = 'hover';
stage.append(player);
stage.addEventListener('lottie-sync-error', (event: LottieSyncErrorEvent) => console.log(event.code, event.detail.fatal));
stage.addEventListener('lottie-sync-metrics', (event) => {
  const metrics: StageMetrics = event.metrics;
  console.log(metrics.ticksPerSecond);
});
document.querySelector('lottie-sync-group')?.play();
// @ts-expect-error: not a render mode
stage.renderMode = 'gpu';
`,
  );
});

test('editors and frameworks: VS Code data and web-types name every tag, attribute and event; the JSX types check', () => {
  const installed = join(folder.path, 'node_modules/lottie-sync');
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(installed, 'custom-elements.json'), 'utf8'));
  const elements = manifest.modules.flatMap((module) => module.declarations ?? []).filter((declaration) => declaration.tagName);
  assert.equal(elements.length, 3);
  const vscode = JSON.parse(readFileSync(join(installed, 'dist/editors/vscode.html-custom-data.json'), 'utf8'));
  const webTypes = JSON.parse(readFileSync(join(installed, pkg['web-types']), 'utf8'));
  const jetbrains = webTypes.contributions.html.elements;
  for (const element of elements) {
    const tag = vscode.tags.find((t) => t.name === element.tagName);
    assert.ok(tag, `VS Code knows <${element.tagName}>`);
    const web = jetbrains.find((e) => e.name === element.tagName);
    assert.ok(web, `web-types know <${element.tagName}>`);
    for (const attribute of element.attributes ?? []) {
      assert.ok(
        tag.attributes.some((a) => a.name === attribute.name),
        `VS Code offers ${element.tagName} ${attribute.name}`,
      );
      assert.ok(
        web.attributes.some((a) => a.name === attribute.name),
        `web-types offer ${element.tagName} ${attribute.name}`,
      );
    }
    for (const event of element.events ?? [])
      assert.ok(
        web.js.events.some((e) => e.name === event.name),
        `web-types know ${event.name}`,
      );
  }
  const render = vscode.tags.find((t) => t.name === 'lottie-sync-stage').attributes.find((a) => a.name === 'render');
  assert.deepEqual(render.values.map((v) => v.name).sort(), ['auto', 'main', 'surface', 'workers'], 'a union offers its values');
  // The Vue and Svelte files are for projects with those frameworks (they use their global types).
  for (const file of ['vue.d.ts', 'svelte.d.ts'])
    assert.match(readFileSync(join(installed, 'dist/editors', file), 'utf8'), /"lottie-sync-player"/, `${file} types the player`);
  typeCheck(
    'frameworks',
    `import type { CustomElements } from 'lottie-sync/editors/jsx';
const player: CustomElements['lottie-sync-player'] = { src: '/a.lottie', loop: 3, 'play-on': 'hover', animation: 'intro' };
const stage: CustomElements['lottie-sync-stage'] = {
  render: 'main',
  autoplay: true,
  'onlottie-sync-error': (event) => console.log(event.code, event.detail.fatal),
};
const group: CustomElements['lottie-sync-group'] = { name: 'g', sync: 'batched' };
// @ts-expect-error: not a render mode
const bad: CustomElements['lottie-sync-stage'] = { render: 'gpu' };
console.log(player, stage, group, bad);
`,
  );
});

test('the relay command runs from its own package', () => {
  const help = execFileSync(join(folder.path, 'node_modules/.bin/lottie-sync-relay'), ['--help'], { cwd: folder.path, encoding: 'utf8' });
  assert.match(help, /--port/);
  assert.match(help, /--redis/);
});

test('the CDN file plays from a plain page of another origin, its worker included', async () => {
  const types = { '.js': 'text/javascript', '.html': 'text/html', '.json': 'application/json' };
  const serve = (handler) =>
    new Promise((resolve) => {
      const server = createServer(handler).listen(0, '127.0.0.1', () => resolve(server));
    });
  // The package's files as a CDN serves them (with CORS), on one port...
  const cdn = await serve((request, response) => {
    try {
      const path = join(folder.path, 'node_modules', decodeURIComponent(new URL(request.url, 'http://x').pathname));
      response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' });
      response.end(readFileSync(path));
    } catch {
      response.writeHead(404).end();
    }
  });
  const cdnUrl = `http://127.0.0.1:${cdn.address().port}/lottie-sync/dist/cdn/lottie-sync.js`;
  // ...and a page with one script tag, on another.
  const dalek = readFileSync(join(ROOT, 'node_modules/lottie-web/test/animations/dalek.json'));
  const site = await serve((request, response) => {
    if (request.url.startsWith('/dalek.json')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(dalek);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html><script type="module" src="${cdnUrl}"></script>
      <lottie-sync-stage autoplay loop><lottie-sync-player src="/dalek.json"></lottie-sync-player><lottie-sync-player src="/dalek.json"></lottie-sync-player></lottie-sync-stage>`);
  });
  const browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://localhost:${site.address().port}/`);
    await page.waitForFunction(() => [...document.querySelectorAll('lottie-sync-player')].every((p) => p.currentFrame > 2), null, {
      timeout: 20000,
    });
    const workers = await page.evaluate(() => document.querySelector('lottie-sync-stage').metrics.workers);
    assert.equal(workers, 1, 'drawn in its render worker');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    cdn.close();
    site.close();
  }
});
