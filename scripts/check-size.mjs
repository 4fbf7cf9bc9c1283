// The CDN bundle's size budget, gzipped. lottie-web's canvas player is most of it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 110 * 1024;
const file = 'dist/cdn/lottie-sync.js';
const size = gzipSync(readFileSync(file)).length;
const line = `${file}: ${(size / 1024).toFixed(1)} KiB gzipped (budget ${BUDGET_BYTES / 1024} KiB)`;
if (size > BUDGET_BYTES) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(line);
