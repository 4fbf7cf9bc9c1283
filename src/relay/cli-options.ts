import { parseArgs } from 'node:util';
import { MAX_MESSAGE_CHARS } from '../sync/messages.js';
import type { RelayOptions } from './relay.js';

export const USAGE = `Usage: lottie-sync-relay [options]

A WebSocket relay that keeps lottie-sync stages on other machines in step.

Options:
  --port N             Port to listen on, 0-65535; 0 picks a free one (env PORT; default 8787)
  --host HOST          Address to listen on (env HOST; default 127.0.0.1)
  --token SECRET       A control token leaders must present; repeat for several
                       (env LOTTIE_SYNC_TOKENS, comma-separated). None: anyone may lead
  --max-room-size N    Clients per room, a whole number >= 1 (default 1000)
  --max-rate N         Control messages (join, state, report) per connection per second,
                       bursts of twice this (default 20)
  --max-ping-rate N    Clock pings per connection per second, counted apart (default 20)
  --max-send-buffer N  Bytes queued for one client before it is disconnected (default 1048576)
  --redis URL          redis://host:port: share rooms with every relay on that Redis
                       (env LOTTIE_SYNC_REDIS)
  -h, --help           Show this help

GET /health answers 200 {"status":"ok"} or 503 {"status":"degraded"} (Redis away or stalled);
GET /metrics is Prometheus text.`;

/** What the command line asks for: options to start with, the help, or why it cannot start. */
export type CliRequest = { readonly options: RelayOptions } | { readonly help: string } | { readonly error: string };

function wholeNumber(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number | string {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  return value >= min && value <= max ? value : `${flag} must be a whole number from ${min} to ${max}, not "${text}"`;
}

function positiveNumber(flag: string, text: string): number | string {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  return value > 0 && Number.isFinite(value) ? value : `${flag} must be a number above 0, not "${text}"`;
}

/** Reads the relay's command line and environment; never throws. */
export function parseCli(args: readonly string[], env: Readonly<Record<string, string | undefined>>): CliRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string', multiple: true },
        'max-room-size': { type: 'string' },
        'max-rate': { type: 'string' },
        'max-ping-rate': { type: 'string' },
        'max-send-buffer': { type: 'string' },
        redis: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: USAGE };
  const numbers = {
    port: wholeNumber('--port', values.port ?? env.PORT ?? '8787', 0, 65535),
    maxRoomSize: values['max-room-size'] === undefined ? undefined : wholeNumber('--max-room-size', values['max-room-size'], 1),
    maxMessagesPerSecond: values['max-rate'] === undefined ? undefined : positiveNumber('--max-rate', values['max-rate']),
    maxPingsPerSecond: values['max-ping-rate'] === undefined ? undefined : positiveNumber('--max-ping-rate', values['max-ping-rate']),
    // At least one message of the largest size must fit.
    maxSendBufferBytes:
      values['max-send-buffer'] === undefined
        ? undefined
        : wholeNumber('--max-send-buffer', values['max-send-buffer'], MAX_MESSAGE_CHARS * 4),
  };
  for (const value of Object.values(numbers)) if (typeof value === 'string') return { error: value };
  const host = values.host ?? env.HOST ?? '127.0.0.1';
  if (host.length === 0) return { error: '--host must not be empty' };
  const redis = values.redis ?? env.LOTTIE_SYNC_REDIS;
  if (redis !== undefined && !/^rediss?:\/\/\S+$/.test(redis))
    return { error: `--redis must be a redis:// or rediss:// URL, not "${redis}"` };
  const tokens = [...(values.token ?? []), ...(env.LOTTIE_SYNC_TOKENS?.split(',').filter(Boolean) ?? [])];
  if (tokens.some((token) => token.length === 0 || token.length > 256)) return { error: '--token must be 1 to 256 characters' };
  return { options: { ...(numbers as Record<keyof typeof numbers, number | undefined>), host, tokens, redis } };
}
