// A dev-server middleware for tests: the built files under /dist/ may be loaded
// from another origin (the CDN test loads the bundle from 127.0.0.1 into a page
// on localhost, as a page loads it from a CDN).
export function crossOrigin() {
  return async function allowDist(context, next) {
    await next();
    if (context.path.startsWith('/dist/')) context.set('Access-Control-Allow-Origin', '*');
  };
}
