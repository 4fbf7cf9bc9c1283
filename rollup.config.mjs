// Builds the CDN files from tsc's output in dist/ (the npm build: unbundled
// modules with lit and lottie-web as dependencies):
// 1. dist/cdn/lottie-sync-worker.js: the render worker as one classic script
//    (lottie-web inside), also for pages that serve it themselves (`worker-url`).
// 2. dist/cdn/lottie-sync.js: one ES module with lit inside, for a plain
//    <script type="module"> on any page. What loads later sits beside it and is
//    found relative to its URL: the worker script (started from any origin
//    through a one-line blob worker), lottie-web's chunks for drawing on the
//    main thread, the .lottie reader, the sandbox script.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const WORKER_FILE = 'dist/cdn/lottie-sync-worker.js';
const ENTRY = '\0lottie-sync-cdn-entry';

function onwarn(warning, warn) {
  // lottie-web's expression support uses eval on purpose.
  if (warning.code === 'EVAL' && warning.id?.includes('lottie-web')) return;
  warn(warning);
}

/**
 * The CDN entry: names the worker and sandbox scripts beside the module (found
 * relative to its own URL, whatever origin serves it), then defines the elements.
 */
function cdnEntry() {
  return {
    name: 'lottie-sync-cdn-entry',
    resolveId(id) {
      return id === ENTRY ? id : null;
    },
    load(id) {
      if (id !== ENTRY) return null;
      return [
        `import { setWorkerScript } from './dist/worker/worker-source.js';`,
        `import { setSandboxUrl } from './dist/sandbox/sandbox-realm.js';`,
        `setWorkerScript(new URL('./lottie-sync-worker.js', import.meta.url).href);`,
        `setSandboxUrl(new URL('./lottie-sync-sandbox.js', import.meta.url).href);`,
        `export * from './dist/define.js';`,
      ].join('\n');
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
