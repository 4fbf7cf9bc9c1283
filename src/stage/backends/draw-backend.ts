import type { AnimationEntry } from '../../data/animation-cache.js';
import type { AssetSource } from '../../data/asset-policy.js';
import type { DrawJob, DrawnJobs } from '../../render/draw-jobs.js';
import type { CanvasPool } from './canvas-pool.js';

/** A renderer of a file at a pixel size, with its images' sources. */
export interface RendererRequest {
  readonly entry: AnimationEntry;
  readonly width: number;
  readonly height: number;
  readonly assets: readonly AssetSource[];
}

/** A renderer held: its key, and when it can draw. */
export interface HeldRenderer {
  readonly key: string;
  readonly ready: Promise<void>;
}

/** What one tick drew in a backend: the draw loop's result and the backend's own time for it. */
export interface DrawAnswer extends DrawnJobs {
  /** Milliseconds the backend's thread spent on the tick. */
  readonly ms: number;
}

/**
 * A place that draws: the main thread, or one render worker. The stage leases
 * canvases from its pool, holds renderers in it by key, and sends it one tick's
 * jobs at a time; the runtime never asks which kind it holds.
 */
export interface DrawBackend {
  /** Its canvases: a canvas drawn by one backend can only be drawn by that backend. */
  readonly pool: CanvasPool;
  /** A surface's: canvases of their own, drawn by the same thread, for players a tile of the surface cannot show. */
  readonly ownPool?: CanvasPool | null;
  /** False once it has failed or ended: its canvases and renderers are gone. */
  readonly alive: boolean;
  /** A tick has been sent and not yet answered. */
  readonly busy: boolean;
  /** Canvas sizes or clears wait to be sent with the next tick. */
  readonly hasQueued: boolean;
  /** The id jobs name `canvas` by (undefined: not one of its canvases). */
  canvasId(canvas: HTMLCanvasElement): number | undefined;
  /** The key `acquireRenderer` gives a renderer of `url` at this size. */
  rendererKey(url: string, width: number, height: number): string;
  /** Holds a renderer of the request's file at its size; `ready` settles when it can draw. May throw `render-failed`. */
  acquireRenderer(request: RendererRequest): HeldRenderer;
  releaseRenderer(key: string): void;
  /** Draws one tick's jobs; `answer` is called once: at once on the main thread, when the worker answers otherwise. */
  submit(jobs: readonly DrawJob[], answer: (answer: DrawAnswer) => void, now: number): void;
  /** Its canvas `canvas`, from `pool`, is `element`'s (a stage surface draws each player at its element's place; canvases of `ownPool` are not tiles). */
  follow?(canvas: HTMLCanvasElement, element: HTMLElement): void;
  /** Lottie-web instances it holds. */
  readonly rendererCount: number;
}
