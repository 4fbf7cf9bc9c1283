import type { FrameRenderer, RendererSet } from './frame-renderer.js';
import type { Surface, Surface2D } from './surface.js';

/** One drawing job: renderer `key` draws `frame`, and it is copied into the canvases `ids`. */
export type DrawJob = readonly [key: string, frame: number, ids: readonly number[]];

/** Every canvas id of these jobs (a tick's DrawJobs, or jobs that carry more after their ids). */
export function canvasIds(jobs: readonly (readonly [string, number, readonly number[], ...unknown[]])[]): number[] {
  return jobs.flatMap(([, , ids]) => ids);
}

/** A job that was not done: its renderer was not there (`NO_RENDERER`), or lottie-web threw (the message). */
export type DrawMiss = readonly [key: string, frame: number, message: string];

/** The miss of a renderer that is gone or not built yet: the player is planned again, it has not failed. */
export const NO_RENDERER = 'no renderer';

/** What one tick's jobs did: frames lottie-web drew (the rest were copies of kept frames) and the misses. */
export interface DrawnJobs {
  readonly renders: number;
  readonly missed: DrawMiss[];
}

/** Copies a frame into each target canvas (the render worker's and the main thread's delivery); targets that are gone are skipped. */
export function copyTo(targetOf: (id: number) => Surface2D | undefined): (source: Surface | ImageBitmap, job: DrawJob) => void {
  return (source, [, , ids]) => {
    for (const id of ids) {
      const context = targetOf(id);
      if (!context) continue;
      context.globalCompositeOperation = 'copy';
      context.drawImage(source, 0, 0);
    }
  };
}

/**
 * The draw loop, the same in a render worker, on the main thread and in the
 * sandbox: each job's renderer gives its frame (a kept copy, or drawn by
 * lottie-web now) and `deliver` takes it (copied into canvases, or sent).
 */
export function runJobs(
  jobs: readonly DrawJob[],
  renderers: RendererSet,
  deliver: (source: Surface, job: DrawJob, renderer: FrameRenderer) => void,
): DrawnJobs {
  let renders = 0;
  const missed: DrawMiss[] = [];
  for (const job of jobs) {
    const [key, frame] = job;
    const renderer = renderers.get(key);
    if (!renderer) {
      missed.push([key, frame, NO_RENDERER]);
      continue;
    }
    try {
      if (!renderer.has(frame)) renders += 1;
      deliver(renderer.draw(frame), job, renderer);
    } catch (error) {
      missed.push([key, frame, `lottie-web failed to draw frame ${frame}: ${(error as Error).message}`]);
    }
  }
  return { renders, missed };
}
