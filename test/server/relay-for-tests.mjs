// A dev-server plugin for the browser tests: runs real lottie-sync relays on
// free loopback ports (from the build in dist/, which `npm test` makes first)
// and tells pages where they are at /__relay. `far` is a second relay behind a
// TCP proxy that delays every chunk by 80 ms each way.
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';

const RELAY = new URL('../../dist/relay/relay.js', import.meta.url);
const DELAY_MS = 80;

/** A loopback TCP proxy to `port` that delays every chunk in both directions. */
function delayingProxy(port) {
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    const pipe = (from, to) => from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), DELAY_MS));
    pipe(client, upstream);
    pipe(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export function relayForTests() {
  const relays = [];
  let proxy = null;
  let near = 0;
  let far = 0;
  return {
    name: 'relay-for-tests',
    async serverStart() {
      if (!existsSync(RELAY)) throw new Error('dist/relay/relay.js is missing: run `npm run build` first (npm test does).');
      const { Relay } = await import(RELAY.href);
      for (let i = 0; i < 2; i += 1) relays.push(new Relay({ port: 0, tokens: ['test-token'] }));
      near = await relays[0].listen();
      const farRelay = await relays[1].listen();
      proxy = await delayingProxy(farRelay);
      far = proxy.address().port;
    },
    async serverStop() {
      proxy?.close();
      await Promise.all(relays.map((relay) => relay.close()));
    },
    serve(context) {
      if (context.path === '/__relay') {
        return { body: JSON.stringify({ url: `ws://127.0.0.1:${near}`, far: `ws://127.0.0.1:${far}`, token: 'test-token' }), type: 'json' };
      }
      return undefined;
    },
  };
}
