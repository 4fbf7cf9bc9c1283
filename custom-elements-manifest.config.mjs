export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/types/**'],
  outdir: '.',
  litelement: true,
  dependencies: false,
};
