// custom-elements.json is what tools (IDEs, Storybook) read: its module paths
// exist in the package, each tag has one definition, and the defaults it
// writes out for named constants are the constants' values.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULTS, FIELD_DEFAULTS, TYPES } from '../custom-elements-manifest.config.mjs';

const root = new URL('..', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('custom-elements.json', root), 'utf8'));

test('module paths name files of the package, and each tag has one definition', () => {
  for (const module of manifest.modules) assert.ok(existsSync(new URL(module.path, root)), `${module.path} exists (npm run build first)`);
  const definitions = manifest.modules.flatMap((module) =>
    (module.exports ?? []).filter((entry) => entry.kind === 'custom-element-definition'),
  );
  assert.deepEqual(definitions.map((entry) => entry.name).sort(), ['lottie-sync-group', 'lottie-sync-player', 'lottie-sync-stage']);
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  assert.equal(pkg.customElements, 'custom-elements.json');
});

test('the defaults written out for named constants are their values', async () => {
  const { DEFAULT_MAX_BYTES } = await import('../dist/data/animation-cache.js');
  const { DEFAULT_LIMITS } = await import('../dist/stage/runtime/loading.js');
  const { DEFAULT_GROUP } = await import('../dist/clock/sync-group.js');
  assert.equal(DEFAULTS.DEFAULT_MAX_BYTES, String(DEFAULT_MAX_BYTES));
  assert.deepEqual(FIELD_DEFAULTS, {
    maxLayers: String(DEFAULT_LIMITS.layers),
    maxShapes: String(DEFAULT_LIMITS.shapes),
    batch: String(DEFAULT_GROUP.batch),
    maxDrift: String(DEFAULT_GROUP.maxDrift),
  });
});

test('the type aliases written out are the aliases of the source', () => {
  const sources = [
    'src/clock/sync-group.ts',
    'src/clock/frame-map.ts',
    'src/element/play-trigger.ts',
    'src/player/attributes.ts',
    'src/stage/runtime/backends.ts',
    'src/stage/runtime/expressions.ts',
  ]
    .map((path) => readFileSync(new URL(path, root), 'utf8'))
    .join('\n');
  for (const [name, text] of Object.entries(TYPES)) {
    const declared = sources.match(new RegExp(`export type ${name} = ([^;]+);`));
    assert.ok(declared, `export type ${name} is in the source`);
    assert.equal(text, declared[1].replace(/\s+/g, ' ').trim(), name);
  }
});
