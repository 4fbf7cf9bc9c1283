// A dev-server middleware for tests: counts the requests for each URL under
// /counted/, which serves the file at the rest of the path, and answers
// /__request-count?path=... with that count.
export function requestCounter() {
  const counts = new Map();
  return async function countRequests(context, next) {
    if (context.path === '/__request-count') {
      context.body = String(counts.get(context.query.path) ?? 0);
      return;
    }
    if (context.path.startsWith('/counted/')) {
      counts.set(context.url, (counts.get(context.url) ?? 0) + 1);
      context.path = context.path.slice('/counted'.length);
      await next();
      // Every fetch must reach the server to be counted: the test runner's own
      // cache middleware (outside this one) marks files with an extension as
      // cacheable for a year, so hide the extension from it.
      context.path = '/counted';
      context.set('Cache-Control', 'no-store');
      return;
    }
    await next();
  };
}
