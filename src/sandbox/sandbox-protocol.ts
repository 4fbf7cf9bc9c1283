/**
 * Messages between a stage and the sandbox realm, over a MessagePort: the
 * sandbox holds renderers of files with expressions (lottie-web's full build,
 * in an opaque-origin frame's worker with no network) and answers each tick
 * with one bitmap per distinct frame. The page treats everything it receives
 * as untrusted input.
 */
import type { DrawMiss } from '../render/draw-jobs.js';

/** One frame to draw: renderer key and frame. */
export type SandboxJob = readonly [key: string, frame: number];

export type ToSandbox =
  /** A file's JSON text with its images inlined as data URIs (the sandbox makes no requests). */
  | { readonly t: 'file'; readonly url: string; readonly text: string }
  | { readonly t: 'forget'; readonly url: string }
  | {
      readonly t: 'renderer';
      readonly key: string;
      readonly gen: number;
      readonly url: string;
      readonly width: number;
      readonly height: number;
    }
  | { readonly t: 'release'; readonly key: string }
  | { readonly t: 'memory'; readonly bytes: number }
  | { readonly t: 'tick'; readonly seq: number; readonly jobs: readonly SandboxJob[] };

export type FromSandbox =
  /** The worker runs and listens on this port. */
  | { readonly t: 'hello' }
  | { readonly t: 'ready'; readonly key: string; readonly gen: number }
  | { readonly t: 'failed'; readonly key: string; readonly gen: number; readonly message: string }
  | {
      readonly t: 'drawn';
      readonly seq: number;
      readonly ms: number;
      readonly renders: number;
      readonly frames: readonly (readonly [key: string, frame: number, bitmap: ImageBitmap])[];
      readonly missed: readonly DrawMiss[];
    };

/** The message the page posts to the sandbox frame to start it (with a port), and to connect another stage (a port). */
export const SANDBOX_BOOT = 'lottie-sync-sandbox';
