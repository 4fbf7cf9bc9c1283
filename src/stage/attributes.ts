import { DEFAULT_TIERS, formatTiers, parseTiers, type Tier } from '../clock/tiers.js';
import { isPositive, isWholeAtLeast } from '../element/attribute-values.js';
import type { RenderMode } from './runtime/backends.js';
import type { RatePolicy } from './runtime/draw-rate.js';
import type { ExpressionMode } from './runtime/expressions.js';

/** A stage attribute whose value was not used: its name, what it accepts and what is used instead. */
export interface Rejection {
  readonly name: string;
  readonly accepted: string;
  readonly fallback: unknown;
}

/** `fps`: a number of draws per second, or `auto`. */
export function parseFps(value: string | null): number | 'auto' | null {
  if (value === null) return null;
  return value.trim().toLowerCase() === 'auto' ? 'auto' : Number(value);
}

/**
 * The draw-rate policy of `tiers` and `fps`: a fixed or adaptive `fps` wins;
 * else a `tiers` table (an empty `tiers` is the design's table,
 * "5:60 15:30 25:15 *:10"); else the adaptive rate, the default. With what was rejected.
 */
export function ratePolicyOf(tiers: string | null, fps: number | 'auto' | null): { policy: RatePolicy; rejected: Rejection[] } {
  const rejected: Rejection[] = [];
  let table: readonly Tier[] | null = null;
  if (tiers !== null) {
    table = DEFAULT_TIERS;
    if (tiers.trim() !== '') {
      try {
        table = parseTiers(tiers);
      } catch (error) {
        rejected.push({
          name: 'tiers',
          accepted: `pairs of "players:fps" ending with "*:fps" (${(error as Error).message})`,
          fallback: formatTiers(DEFAULT_TIERS),
        });
      }
    }
  }
  if (fps === 'auto') return { policy: { kind: 'adaptive' }, rejected };
  if (fps !== null && fps > 0 && fps <= 240) return { policy: { kind: 'fixed', fps }, rejected };
  if (fps !== null)
    rejected.push({
      name: 'fps',
      accepted: 'a number of draws per second from 1 to 240, or "auto"',
      fallback: table ? 'the tiers' : '"auto"',
    });
  return { policy: table ? { kind: 'table', tiers: table } : { kind: 'adaptive' }, rejected };
}

/** The checks of the stage's other attributes: each says whether a value can be used. */
export const STAGE_CHECKS = {
  speed: { ok: (value: number) => Number.isFinite(value), accepted: 'a finite number such as 1, 0.5 or -1' },
  maxBytes: { attribute: 'max-bytes', ok: isPositive, accepted: 'a positive number of bytes' },
  maxLayers: { attribute: 'max-layers', ok: (value: number) => isWholeAtLeast(value, 1), accepted: 'a whole number of layers, 1 or more' },
  maxShapes: {
    attribute: 'max-shapes',
    ok: (value: number) => isWholeAtLeast(value, 1),
    accepted: 'a whole number of shape items, 1 or more',
  },
  workers: { ok: (value: number | null) => isWholeAtLeast(value, 1), accepted: 'a whole number of workers, 1 or more' },
  shardSize: {
    attribute: 'shard-size',
    ok: (value: number | null) => isWholeAtLeast(value, 1),
    accepted: 'a whole number of players, 1 or more',
  },
  frameMemory: { attribute: 'frame-memory', ok: (value: number | null) => value === null || value >= 0, accepted: 'megabytes, 0 or more' },
} as const;

/**
 * `asset-origins`: origins whose images files may load besides their own,
 * separated by spaces (`https://cdn.example https://img.example`), or `*`.
 * Returns the origins and the entries that are not origins.
 */
export function parseAssetOrigins(value: string | null): { origins: Set<string>; rejected: string[] } {
  const origins = new Set<string>();
  const rejected: string[] = [];
  for (const entry of (value ?? '').split(/\s+/).filter(Boolean)) {
    if (entry === '*') {
      origins.add('*');
      continue;
    }
    let origin: string | null;
    try {
      const url = new URL(entry);
      origin = url.origin !== 'null' && (url.protocol === 'https:' || url.protocol === 'http:') ? url.origin : null;
    } catch {
      origin = null;
    }
    if (origin) origins.add(origin);
    else rejected.push(entry);
  }
  return { origins, rejected };
}

/** `expressions`: `sandbox` (the default), `off` or `page`; null for anything else. */
export function parseExpressionMode(value: string | null): ExpressionMode | null {
  const mode = (value ?? 'sandbox').trim().toLowerCase();
  return mode === 'sandbox' || mode === 'off' || mode === 'page' ? mode : null;
}

/** `render`: `auto`, `surface`, `workers` or `main`; null for anything else. */
export function parseRenderMode(value: string | null): RenderMode | null {
  const mode = value ?? 'auto';
  return mode === 'auto' || mode === 'surface' || mode === 'workers' || mode === 'main' ? mode : null;
}
