/**
 * Messages between a stage and its render workers. The stage keeps the clock
 * and decides which frame each canvas shows; a worker holds the files'
 * renderers and the canvases handed to it, draws what one tick asks, and
 * answers once per tick.
 */

import type { DrawJob } from '../render/draw-jobs.js';
import type { DrawnTick, RendererAnswer, RendererCommand } from '../render/renderer-messages.js';

export type ToWorker =
  | RendererCommand
  /** A player canvas, transferred once; it comes back to the pool, never to the main thread. */
  | { readonly t: 'canvas'; readonly id: number; readonly canvas: OffscreenCanvas }
  /** The stage-wide surface (`render="surface"`), transferred once: canvas ids not handed over are tiles on it. */
  | { readonly t: 'surface'; readonly canvas: OffscreenCanvas }
  /** The canvas (or tile) is no longer needed: free its memory. */
  | { readonly t: 'drop'; readonly id: number }
  /**
   * One tick: first canvas sizes (id, width, height triples) and canvases to
   * clear (returned to the pool), with a surface the surface's size (empty:
   * unchanged) and the tiles that moved (id, x, y, width, height: device
   * pixels on the surface), then the jobs.
   */
  | {
      readonly t: 'tick';
      readonly seq: number;
      readonly sizes: readonly number[];
      readonly clears: readonly number[];
      readonly surfaceSize: readonly number[];
      readonly places: readonly number[];
      readonly jobs: readonly DrawJob[];
    };

export type FromWorker =
  | RendererAnswer
  /** The tick `seq` is on its canvases. */
  | DrawnTick;
