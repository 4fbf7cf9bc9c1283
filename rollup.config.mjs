// Builds the CDN file: one ES module with lit and lottie-web inside, for a
// plain <script type="module"> on any page. The npm build is tsc's output in
// dist/ (unbundled modules with lit and lottie-web as dependencies).
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: 'dist/define.js',
  output: {
    file: 'dist/cdn/lottie-sync.js',
    format: 'es',
    sourcemap: true,
    inlineDynamicImports: true,
  },
  // tsc's decorator helper reads `this` at module level.
  context: 'globalThis',
  plugins: [nodeResolve({ browser: true }), terser({ format: { comments: false } })],
  onwarn(warning, warn) {
    // lottie-web's expression support uses eval on purpose.
    if (warning.code === 'EVAL' && warning.id?.includes('lottie-web')) return;
    warn(warning);
  },
};
