// A dev-server plugin for the browser tests: runs a real lottie-sync relay on
// a free loopback port (from the build in dist/, which `npm test` makes first)
// and tells pages where it is at /__relay.
import { existsSync } from 'node:fs';

const RELAY = new URL('../../dist/relay/relay.js', import.meta.url);

export function relayForTests() {
  let relay = null;
  let port = 0;
  return {
    name: 'relay-for-tests',
    async serverStart() {
      if (!existsSync(RELAY)) throw new Error('dist/relay/relay.js is missing: run `npm run build` first (npm test does).');
      const { Relay } = await import(RELAY.href);
      relay = new Relay({ port: 0, tokens: ['test-token'] });
      port = await relay.listen();
    },
    async serverStop() {
      await relay?.close();
    },
    serve(context) {
      if (context.path === '/__relay')
        return { body: JSON.stringify({ url: `ws://127.0.0.1:${port}`, token: 'test-token' }), type: 'json' };
      return undefined;
    },
  };
}
