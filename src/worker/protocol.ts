/**
 * Messages between a stage and its render workers. The stage keeps the clock
 * and decides which frame each canvas shows; a worker holds the files'
 * renderers and the canvases handed to it, draws what one tick asks, and
 * answers once per tick.
 */

import type { DrawJob } from '../render/draw-jobs.js';
import type { DrawnTick, RendererAnswer, RendererCommand } from '../render/renderer-messages.js';
import type { ExpectedJob } from '../render/sandbox-frames.js';
import type { SurfaceChanges } from '../render/stage-surface.js';

export type ToWorker =
  | RendererCommand
  /** A player canvas, transferred once; it comes back to the pool, never to the main thread. */
  | { readonly t: 'canvas'; readonly id: number; readonly canvas: OffscreenCanvas }
  /**
   * The stage-wide surfaces (`render="surface"`), transferred once: two, one
   * shown while the other is laid out over another part of the stage. Canvas
   * ids not handed over are tiles on them.
   */
  | { readonly t: 'surface'; readonly canvases: readonly OffscreenCanvas[] }
  /** The canvas (or tile) is no longer needed: free its memory. */
  | { readonly t: 'drop'; readonly id: number }
  /**
   * One tick: first canvas sizes (id, width, height triples) and canvases to
   * clear (returned to the pool), with a surface its changes (a new layout,
   * a spare to free, the tiles that moved), then the jobs.
   */
  | {
      readonly t: 'tick';
      readonly seq: number;
      readonly sizes: readonly number[];
      readonly clears: readonly number[];
      readonly surface: SurfaceChanges | null;
      readonly jobs: readonly DrawJob[];
    }
  | SandboxLink;

/**
 * The sandbox realm's frames for this worker's canvases (files with
 * expressions) come straight from the sandbox on `port` (null: the link
 * ended); for each tick the page says which frames it asked for and which
 * canvases show each (`expect`, with the canvas sizes and clears queued so
 * far, which those frames need first).
 */
export type SandboxLink =
  | { readonly t: 'sandbox'; readonly port: MessagePort | null }
  | {
      readonly t: 'expect';
      readonly seq: number;
      readonly sizes: readonly number[];
      readonly clears: readonly number[];
      readonly jobs: readonly ExpectedJob[];
    };

export type FromWorker =
  | RendererAnswer
  /** The tick `seq` is on its canvases. */
  | DrawnTick
  /** The sandbox's tick `seq` is shown, but for the canvases `lost`, whose frames did not come (the page draws them again). */
  | { readonly t: 'sandbox-shown'; readonly seq: number; readonly lost: readonly number[] };
