// The benchmark runs end to end and produces numbers. No timing threshold:
// only that each figure exists, and that lottie-sync's players agree (spread 0),
// which is a correctness property, not a speed one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

test('the benchmark measures lottie-sync and plain lottie-web side by side', { timeout: 180000 }, async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'smoke.jsonl');
  const script = new URL('./run.mjs', import.meta.url).pathname;
  const { stderr } = await run(
    process.execPath,
    [script, '--n', '10', '--file', 'lights.json', '--variants', 'lottie-sync,plain', '--window', '1', '--out', out],
    {
      timeout: 170000,
    },
  );
  const results = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    results.map((r) => r.variant),
    ['lottie-sync', 'plain'],
  );
  for (const result of results) {
    for (const key of [
      'readyMs',
      'rafPerSecond',
      'mainThreadBusy',
      'drawsPerPlayerPerSecond',
      'distinctFramesShare',
      'heapBytes',
      'processMemoryBytes',
      'cpuCores',
    ]) {
      assert.ok(Number.isFinite(result[key]) && result[key] > 0, `${result.variant}: ${key} = ${result[key]}`);
    }
    assert.ok(Number.isFinite(result.spreadP95), `${result.variant}: spread measured`);
  }
  assert.equal(results[0].spreadP95, 0, 'lottie-sync players of one file show one frame');
  assert.match(stderr, /\| lottie-sync \| 10 \| lights\.json \|.*x\)/, 'the table has ratios against plain lottie-web');
});
