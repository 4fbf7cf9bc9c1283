// Dev-server middleware: a request for src/**/*.js that exists only as .ts is
// served from the .ts file (esbuild compiles it). Imports get this from the
// esbuild plugin already; the render worker's URL (`new URL('./render-worker.js',
// import.meta.url)`) is not an import, so it needs this.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function tsSources(root = process.cwd()) {
  return function serveTsAsJs(context, next) {
    const { path } = context;
    if (path.startsWith('/src/') && path.endsWith('.js')) {
      const ts = `${path.slice(0, -3)}.ts`;
      if (!existsSync(join(root, path)) && existsSync(join(root, ts))) context.path = ts;
    }
    return next();
  };
}
