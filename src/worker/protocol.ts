/**
 * Messages between a stage and its render workers. The stage keeps the clock
 * and decides which frame each canvas shows; a worker holds the files'
 * renderers and the canvases handed to it, draws what one tick asks, and
 * answers once per tick.
 */

import type { AssetSource } from '../data/asset-policy.js';
import type { DrawJob, DrawMiss } from '../render/draw-jobs.js';

export type ToWorker =
  /** A file's JSON text, once per file (each renderer parses its own copy: lottie-web mutates it). */
  | { readonly t: 'file'; readonly url: string; readonly text: string }
  /** No renderer of `url` is left: drop its text. */
  | { readonly t: 'forget'; readonly url: string }
  | {
      readonly t: 'renderer';
      readonly key: string;
      /** Echoed in the answer, so a late answer for an earlier renderer of the same key is told apart. */
      readonly gen: number;
      readonly url: string;
      readonly width: number;
      readonly height: number;
      /** Each image's whole source. */
      readonly assets: readonly AssetSource[];
    }
  | { readonly t: 'release'; readonly key: string }
  /** A player canvas, transferred once; it comes back to the pool, never to the main thread. */
  | { readonly t: 'canvas'; readonly id: number; readonly canvas: OffscreenCanvas }
  /** The canvas is no longer needed: free its memory. */
  | { readonly t: 'drop'; readonly id: number }
  /** Bytes of drawn frames the worker may keep. */
  | { readonly t: 'memory'; readonly bytes: number }
  /**
   * One tick: first canvas sizes (id, width, height triples) and canvases to
   * clear (returned to the pool), then the jobs.
   */
  | {
      readonly t: 'tick';
      readonly seq: number;
      readonly sizes: readonly number[];
      readonly clears: readonly number[];
      readonly jobs: readonly DrawJob[];
    };

export type FromWorker =
  | { readonly t: 'ready'; readonly key: string; readonly gen: number }
  | { readonly t: 'failed'; readonly key: string; readonly gen: number; readonly message: string }
  /**
   * The tick `seq` is on its canvases. `ms`: the worker's time for it;
   * `renders`: frames lottie-web drew (the rest were copies of kept frames);
   * `missed`: jobs whose renderer was not there or threw: key, frame and message.
   */
  | {
      readonly t: 'drawn';
      readonly seq: number;
      readonly ms: number;
      readonly renders: number;
      readonly missed: readonly DrawMiss[];
    };
