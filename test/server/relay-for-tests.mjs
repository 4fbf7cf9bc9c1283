// A dev-server plugin for the browser tests: a real redis-server and two real
// lottie-sync relays sharing rooms through it (from the build in dist/, which
// `npm test` makes first), on free loopback ports. `far` is the second relay
// behind a TCP proxy that delays every chunk by 50-100 ms each way (jittered,
// order kept). Pages learn the URLs at /__relay.
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { startRedis } from '../relay/helpers.mjs';

const RELAY = new URL('../../relay/dist/relay/relay.js', import.meta.url);

/** A loopback TCP proxy to `port` that delays every chunk by 50-100 ms, in order, both ways. */
function delayingProxy(port) {
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    const pipe = (from, to) => {
      let last = 0;
      from.on('data', (chunk) => {
        const at = Math.max(last, Date.now() + 50 + Math.random() * 50);
        last = at;
        setTimeout(() => to.writable && to.write(chunk), at - Date.now());
      });
    };
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
  let redis = null;
  let proxy = null;
  let near = 0;
  let far = 0;
  return {
    name: 'relay-for-tests',
    async serverStart() {
      if (!existsSync(RELAY)) throw new Error('relay/dist/relay/relay.js is missing: run `npm run build` first (npm test does).');
      const { Relay } = await import(RELAY.href);
      redis = await startRedis();
      for (let i = 0; i < 2; i += 1) relays.push(new Relay({ port: 0, tokens: ['test-token'], redis: redis.url }));
      near = await relays[0].listen();
      proxy = await delayingProxy(await relays[1].listen());
      far = proxy.address().port;
    },
    async serverStop() {
      proxy?.close();
      await Promise.all(relays.map((relay) => relay.close()));
      redis?.child.kill();
    },
    serve(context) {
      if (context.path === '/__relay') {
        return { body: JSON.stringify({ url: `ws://127.0.0.1:${near}`, far: `ws://127.0.0.1:${far}`, token: 'test-token' }), type: 'json' };
      }
      return undefined;
    },
  };
}
