// A static file server on loopback for the benchmark pages: the project root,
// so pages can load dist/ and node_modules/lottie-web.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.lottie': 'application/zip',
};

/**
 * Starts the server on a free loopback port; resolves to its origin and a close function.
 * `routes` answer paths of their own (`/__progress`, say) before the files;
 * `root` is the folder served (the project root unless said; `/` is its index.html).
 */
export function startServer(routes = {}, root = ROOT) {
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://x');
    const route = routes[url.pathname];
    if (route) {
      route(url.searchParams);
      response.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      return;
    }
    const pathname = decodeURIComponent(url.pathname);
    const file = join(root, normalize(pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    let stats;
    try {
      stats = file.startsWith(root) ? statSync(file) : null;
    } catch {
      stats = null;
    }
    if (!stats?.isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': stats.size,
      'cache-control': 'no-cache',
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ origin: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
