import { DEFAULT_MAX_BYTES } from '../data/animation-cache.js';
import { DEFAULT_FRAME_MEMORY } from '../render/frame-renderer.js';
import { STAGE_CHECKS, parseAssetOrigins, parseExpressionMode, parseRenderMode, ratePolicyOf } from './attributes.js';
import { defaultWorkerCount, type RenderMode } from './runtime/backends.js';
import type { ExpressionMode } from './runtime/expressions.js';
import { DEFAULT_LIMITS } from './runtime/loading.js';
import type { StageRuntime } from './runtime/stage-runtime.js';

const MEGABYTE = 1024 * 1024;

/** The stage attributes that configure its runtime (a bad value is put back to the default). */
export interface StageSettings {
  speed: number;
  loop: boolean;
  maxBytes: number;
  maxLayers: number;
  maxShapes: number;
  tiers: string | null;
  fps: number | 'auto' | null;
  renderMode: RenderMode | null;
  workers: number | null;
  shardSize: number | null;
  workerUrl: string | null;
  frameMemory: number | null;
  expressions: ExpressionMode | null;
  assetOrigins: string | null;
}

/** Which settings changed in this update. */
export type ChangedSettings = ReadonlyMap<keyof StageSettings, unknown>;

/** Reports an attribute's value that is not used: its name, what it accepts, what is used instead. */
export type Reject = (name: string, accepted: string, fallback: unknown) => void;

/**
 * Checks the stage's changed settings and hands them to its runtime. A bad
 * value is reported (a warning and a non-fatal `invalid-attribute` error)
 * and replaced by the default.
 */
export function applySettings(stage: StageSettings, runtime: StageRuntime, changed: ChangedSettings, reject: Reject): void {
  const checked = <T>(key: keyof typeof STAGE_CHECKS, fallback: T, described: unknown = fallback): T => {
    const check = STAGE_CHECKS[key];
    reject('attribute' in check ? check.attribute : key, check.accepted, described);
    return fallback;
  };
  if (changed.has('speed') && !STAGE_CHECKS.speed.ok(stage.speed)) stage.speed = checked('speed', 1);
  if (changed.has('maxBytes') && !STAGE_CHECKS.maxBytes.ok(stage.maxBytes)) stage.maxBytes = checked('maxBytes', DEFAULT_MAX_BYTES);
  if (changed.has('maxLayers') && !STAGE_CHECKS.maxLayers.ok(stage.maxLayers))
    stage.maxLayers = checked('maxLayers', DEFAULT_LIMITS.layers);
  if (changed.has('maxShapes') && !STAGE_CHECKS.maxShapes.ok(stage.maxShapes))
    stage.maxShapes = checked('maxShapes', DEFAULT_LIMITS.shapes);
  if (changed.has('tiers') || changed.has('fps')) {
    const { policy, rejected } = ratePolicyOf(stage.tiers, stage.fps);
    for (const { name, accepted, fallback } of rejected) reject(name, accepted, fallback);
    if (rejected.some((rejection) => rejection.name === 'fps')) stage.fps = null;
    runtime.setRatePolicy(policy);
  }
  applyDrawing(stage, runtime, changed, checked, reject);
  runtime.loading.maxBytes = stage.maxBytes;
  runtime.loading.limits = { layers: stage.maxLayers, shapes: stage.maxShapes };
  if (changed.has('expressions')) {
    const mode = parseExpressionMode(stage.expressions);
    if (mode === null) {
      reject('expressions', '"sandbox", "off" or "page"', 'sandbox');
      stage.expressions = null;
    }
    runtime.backends.expressions.mode = mode ?? 'sandbox';
  }
  if (changed.has('assetOrigins')) {
    const { origins, rejected } = parseAssetOrigins(stage.assetOrigins);
    for (const entry of rejected) reject('asset-origins', `origins such as https://cdn.example, or * (not "${entry}")`, 'the others');
    runtime.loading.assetOrigins = origins;
  }
  if (changed.has('speed')) runtime.playback.setPlaybackRate(stage.speed);
  if (changed.has('loop')) runtime.loop = stage.loop;
}

/** Where and how much the stage draws: workers, shards, frame memory, render mode. */
function applyDrawing(
  stage: StageSettings,
  runtime: StageRuntime,
  changed: ChangedSettings,
  checked: <T>(key: keyof typeof STAGE_CHECKS, fallback: T, described?: unknown) => T,
  reject: Reject,
): void {
  const { backends } = runtime;
  if (changed.has('workers')) {
    if (!STAGE_CHECKS.workers.ok(stage.workers)) stage.workers = checked('workers', null, 'the default');
    backends.maxWorkers = stage.workers ?? defaultWorkerCount();
  }
  if (changed.has('shardSize')) {
    if (!STAGE_CHECKS.shardSize.ok(stage.shardSize)) stage.shardSize = checked('shardSize', null, 'no limit');
    backends.shardSize = stage.shardSize ?? Infinity;
  }
  if (changed.has('frameMemory')) {
    if (!STAGE_CHECKS.frameMemory.ok(stage.frameMemory)) stage.frameMemory = checked('frameMemory', null, DEFAULT_FRAME_MEMORY / MEGABYTE);
    backends.frameMemoryBytes = stage.frameMemory === null ? DEFAULT_FRAME_MEMORY : stage.frameMemory * MEGABYTE;
  }
  if (changed.has('workerUrl')) backends.workerUrl = stage.workerUrl || null;
  if (changed.has('renderMode')) {
    const mode = parseRenderMode(stage.renderMode);
    if (mode === null) {
      reject('render', '"auto", "surface", "workers" or "main"', 'auto');
      stage.renderMode = null;
    }
    runtime.setRenderMode(mode ?? 'auto');
  }
}
