#!/usr/bin/env node
// npx lottie-sync-relay --port 8787 [--host 127.0.0.1] [--token SECRET ...] [--max-room-size 1000] [--max-rate 20] [--redis redis://127.0.0.1:6379]
import { parseArgs } from 'node:util';
import { Relay } from './relay.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    token: { type: 'string', multiple: true },
    'max-room-size': { type: 'string' },
    'max-rate': { type: 'string' },
    'max-ping-rate': { type: 'string' },
    'max-send-buffer': { type: 'string' },
    redis: { type: 'string', default: process.env.LOTTIE_SYNC_REDIS },
  },
});

const tokens = [...(values.token ?? []), ...(process.env.LOTTIE_SYNC_TOKENS?.split(',').filter(Boolean) ?? [])];
const relay = new Relay({
  port: Number(values.port),
  host: values.host,
  tokens,
  maxRoomSize: values['max-room-size'] ? Number(values['max-room-size']) : undefined,
  maxMessagesPerSecond: values['max-rate'] ? Number(values['max-rate']) : undefined,
  maxPingsPerSecond: values['max-ping-rate'] ? Number(values['max-ping-rate']) : undefined,
  maxSendBufferBytes: values['max-send-buffer'] ? Number(values['max-send-buffer']) : undefined,
  redis: values.redis,
});
const port = await relay.listen();
console.log(
  `lottie-sync relay listening on ws://${values.host}:${port} (${tokens.length ? 'leaders need a token' : 'anyone may lead'}; ${values.redis ? `rooms shared through ${values.redis}` : 'rooms in memory'})`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void relay.close('shutdown').then(() => process.exit(0));
  });
}
