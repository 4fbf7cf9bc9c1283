/**
 * The messages that manage renderers held in another realm (a render worker,
 * the sandbox): the file texts, the renderers, frame memory, and the answers
 * about each build. Both realms' protocols include them.
 */
import type { AssetSource } from '../data/asset-policy.js';
import type { DrawMiss } from './draw-jobs.js';

export type RendererCommand =
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
  /** Bytes of drawn frames the realm may keep. */
  | { readonly t: 'memory'; readonly bytes: number };

/**
 * A realm's answer to one tick: `ms` its time for it, `renders` the frames
 * lottie-web drew (the rest were copies of kept frames), `missed` the jobs
 * whose renderer was not there or threw (key, frame and message).
 */
export interface DrawnTick {
  readonly t: 'drawn';
  readonly seq: number;
  readonly ms: number;
  readonly renders: number;
  readonly missed: readonly DrawMiss[];
}

export type RendererAnswer =
  | { readonly t: 'ready'; readonly key: string; readonly gen: number }
  | { readonly t: 'failed'; readonly key: string; readonly gen: number; readonly message: string };
