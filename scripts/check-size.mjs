// The CDN files' size budgets, gzipped: the module a page loads first (the
// elements and the stage, no lottie-web) and everything a default page of one
// JSON file downloads (that module and the render worker, which carries
// lottie-web's build without expressions). What loads only on demand (lottie-web
// for the main thread, the .lottie reader, the sandbox) is reported too.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const KIB = 1024;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const first = gz('dist/cdn/lottie-sync.js');
const worker = gz('dist/cdn/lottie-sync-worker.js');
const budgets = [
  { what: 'first module (dist/cdn/lottie-sync.js)', bytes: first, kib: 40 },
  { what: 'a default page of one file (first module + render worker)', bytes: first + worker, kib: 100 },
];
let over = false;
for (const { what, bytes, kib } of budgets) {
  const line = `${what}: ${(bytes / KIB).toFixed(1)} KiB gzipped (budget ${kib} KiB)`;
  if (bytes > kib * KIB) {
    console.error(`${line}: over budget`);
    over = true;
  } else console.log(line);
}
const onDemand = [
  'dist/cdn/lottie-sync-sandbox.js',
  ...readdirSync('dist/cdn/chunks')
    .filter((name) => name.endsWith('.js'))
    .map((name) => `dist/cdn/chunks/${name}`),
];
for (const file of onDemand) console.log(`  on demand: ${file}: ${(gz(file) / KIB).toFixed(1)} KiB gzipped`);
if (over) process.exit(1);
