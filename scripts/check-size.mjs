// The CDN files' size budgets, gzipped. lottie-web's canvas player is most of
// each: the module carries it for the main thread (the fallback, and files with
// text layers or luma mattes) and once more inside its inline render worker,
// which is a separate JavaScript realm and needs its own copy.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const budgets = [
  { file: 'dist/cdn/lottie-sync.js', kib: 170 },
  { file: 'dist/cdn/lottie-sync-worker.js', kib: 80 },
];
let over = false;
for (const { file, kib } of budgets) {
  const size = gzipSync(readFileSync(file)).length;
  const line = `${file}: ${(size / 1024).toFixed(1)} KiB gzipped (budget ${kib} KiB)`;
  if (size > kib * 1024) {
    console.error(`${line}: over budget`);
    over = true;
  } else console.log(line);
}
if (over) process.exit(1);
