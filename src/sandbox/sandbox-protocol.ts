/**
 * Messages between a stage and the sandbox realm, over a MessagePort: the
 * sandbox holds renderers of files with expressions (lottie-web's full build,
 * in an opaque-origin frame's worker with no network) and answers each tick
 * with one bitmap per distinct frame, to the page or straight to the stage's
 * render worker. The page treats everything it receives
 * as untrusted input.
 */
import type { DrawJob } from '../render/draw-jobs.js';
import type { DrawnTick, RendererAnswer, RendererCommand } from '../render/renderer-messages.js';

export type ToSandbox =
  | RendererCommand
  /** One tick: the jobs' canvas ids are ignored (the page, or the render worker, knows them). */
  | { readonly t: 'tick'; readonly seq: number; readonly jobs: readonly DrawJob[] }
  /**
   * From now on each tick's frames go on `port`, to the stage's render worker
   * that shows them (as `{ t: 'frames', seq, frames }`), and the answer to the
   * page carries none.
   */
  | { readonly t: 'present'; readonly port: MessagePort }
  /** The stage's link ends: its renderers, its files and both its ports go. */
  | { readonly t: 'close' };

export type FromSandbox =
  /** The worker runs and listens on this port. */
  | { readonly t: 'hello' }
  | RendererAnswer
  /** The tick's frames, one bitmap per job drawn. */
  | (DrawnTick & { readonly frames: readonly (readonly [key: string, frame: number, bitmap: ImageBitmap])[] });

/** The message the page posts to the sandbox frame to start it (with a port), and to connect another stage (a port). */
export const SANDBOX_BOOT = 'lottie-sync-sandbox';
