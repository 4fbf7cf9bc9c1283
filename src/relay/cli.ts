#!/usr/bin/env node
// npx lottie-sync-relay --help
import { parseCli } from './cli-options.js';
import { Relay } from './relay.js';

const request = parseCli(process.argv.slice(2), process.env);
if ('help' in request) {
  console.log(request.help);
  process.exit(0);
}
if ('error' in request) {
  console.error(`lottie-sync-relay: ${request.error}\nSee lottie-sync-relay --help.`);
  process.exit(2);
}
const { options } = request;
const relay = new Relay(options);
const port = await relay.listen().catch((error: Error) => {
  console.error(`lottie-sync-relay: cannot listen on ${options.host}:${options.port}: ${error.message}`);
  process.exit(1);
});
console.log(
  `lottie-sync relay listening on ws://${options.host}:${port} (${options.tokens?.length ? 'leaders need a token' : 'anyone may lead'}; ${options.redis ? `rooms shared through ${options.redis.replace(/\/\/[^@/]*@/, '//***@')}` : 'rooms in memory'})`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void relay.close('shutdown').then(() => process.exit(0));
  });
}
