import type { WorkerShard } from './worker-shard.js';

/** A parked worker is ended after this long without a stage. */
const PARKED_FOR_MS = 30_000;

interface Parked {
  readonly shard: WorkerShard;
  readonly workerUrl: string | null;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * Render workers of stages that left the page, kept for the next stage (a
 * single-page app changing routes mounts the same players again and again).
 * With them stay the canvases already handed to them: a canvas given to a
 * worker costs the browser memory until the page closes, so reusing them is
 * what keeps a long session flat. A parked worker holds no renderer; it is
 * ended after 30 s unused.
 */
const parked: Parked[] = [];

export function parkWorker(shard: WorkerShard, workerUrl: string | null): void {
  if (!shard.alive) return;
  shard.orphan();
  const timer = setTimeout(() => {
    const index = parked.findIndex((entry) => entry.shard === shard);
    if (index >= 0) parked.splice(index, 1);
    shard.terminate();
  }, PARKED_FOR_MS);
  parked.push({ shard, workerUrl, timer });
}

/** A parked worker started from the same script, or null. */
export function takeParkedWorker(workerUrl: string | null): WorkerShard | null {
  for (let i = parked.length - 1; i >= 0; i -= 1) {
    const entry = parked[i]!;
    if (entry.workerUrl !== workerUrl) continue;
    parked.splice(i, 1);
    clearTimeout(entry.timer);
    if (entry.shard.alive) return entry.shard;
  }
  return null;
}
