// Builds the CDN files from tsc's output in dist/ (the npm build: unbundled
// modules with lit and lottie-web as dependencies):
// 1. dist/cdn/lottie-sync-worker.js: the render worker as one classic script
//    (lottie-web inside), also for pages that serve it themselves (`worker-url`).
// 2. dist/cdn/lottie-sync.js: one ES module with lit and lottie-web inside and
//    the worker's code inline (started from a blob URL, so it works from any
//    origin), for a plain <script type="module"> on any page.
import { readFileSync } from 'node:fs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const WORKER_FILE = 'dist/cdn/lottie-sync-worker.js';
const ENTRY = '\0lottie-sync-cdn-entry';
const WORKER_SOURCE = '\0lottie-sync-worker-source';

function onwarn(warning, warn) {
  // lottie-web's expression support uses eval on purpose.
  if (warning.code === 'EVAL' && warning.id?.includes('lottie-web')) return;
  warn(warning);
}

/** The CDN entry: hands the worker's code to the library, then defines the elements. */
function cdnEntry() {
  return {
    name: 'lottie-sync-cdn-entry',
    resolveId(id) {
      if (id === ENTRY || id === WORKER_SOURCE) return id;
      return null;
    },
    load(id) {
      if (id === WORKER_SOURCE) return `export default ${JSON.stringify(readFileSync(WORKER_FILE, 'utf8'))};`;
      if (id === ENTRY) {
        return [
          `import source from '${WORKER_SOURCE}';`,
          `import { setInlineWorkerSource } from './dist/worker/worker-source.js';`,
          `setInlineWorkerSource(source);`,
          `export * from './dist/define.js';`,
        ].join('\n');
      }
      return null;
    },
  };
}

export default [
  {
    // The sandbox realm's worker: lottie-web's full build, started from a blob in the sandbox frame.
    input: 'dist/sandbox/sandbox-worker.js',
    output: { file: 'dist/cdn/lottie-sync-sandbox.js', format: 'iife', sourcemap: false },
    context: 'globalThis',
    plugins: [nodeResolve({ browser: true }), terser({ format: { comments: false } })],
    onwarn,
  },
  {
    input: 'dist/worker/render-worker.js',
    output: { file: WORKER_FILE, format: 'iife', sourcemap: false },
    context: 'globalThis',
    plugins: [nodeResolve({ browser: true }), terser({ format: { comments: false } })],
    onwarn,
  },
  {
    input: ENTRY,
    output: {
      dir: 'dist/cdn',
      entryFileNames: 'lottie-sync.js',
      // What loads on demand (lottie-web's full build, for expressions="page") is a chunk beside it,
      // found relative to the module's own URL.
      chunkFileNames: 'chunks/[name]-[hash].js',
      format: 'es',
      sourcemap: true,
    },
    // tsc's decorator helper reads `this` at module level.
    context: 'globalThis',
    plugins: [cdnEntry(), nodeResolve({ browser: true }), terser({ format: { comments: false } })],
    onwarn,
  },
];
