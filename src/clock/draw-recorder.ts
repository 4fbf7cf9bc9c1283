import type { StageMetrics } from '../metrics.js';

interface DrawSample {
  readonly at: number;
  cost: number;
  readonly canvases: number;
  renders: number;
}

const WINDOW_MS = 1000;

/** Keeps the last second of drawing ticks: the draw rate's cost and the metrics' rates. DOM-free. */
export class DrawRecorder {
  private samples: DrawSample[] = [];

  /** A tick at `at` draws into `canvases` canvases; its cost and renders follow as they are known. */
  begin(at: number, canvases: number): void {
    this.samples.push({ at, cost: 0, canvases, renders: 0 });
    this.trim(at);
  }

  /** The main thread's time for the tick begun last (ms). */
  finish(cost: number): void {
    const last = this.samples.at(-1);
    if (last) last.cost = cost;
  }

  /** Frames lottie-web drew for the tick begun last (known when its backends answer). */
  addRenders(renders: number): void {
    const last = this.samples.at(-1);
    if (last) last.renders += renders;
  }

  private trim(now: number): void {
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop]!.at < now - WINDOW_MS) drop += 1;
    if (drop > 0) this.samples = this.samples.slice(drop);
  }

  /** Draw costs (ms) of the ticks since `since`. */
  costsSince(since: number): number[] {
    return this.samples.filter((sample) => sample.at >= since).map((sample) => sample.cost);
  }

  summary(now: number): Pick<StageMetrics, 'ticksPerSecond' | 'framesDrawnPerSecond' | 'rendersPerSecond' | 'drawTimeP50' | 'drawTimeP95'> {
    this.trim(now);
    const costs = this.samples.map((sample) => sample.cost);
    return {
      ticksPerSecond: this.samples.length,
      framesDrawnPerSecond: this.samples.reduce((sum, sample) => sum + sample.canvases, 0),
      rendersPerSecond: this.samples.reduce((sum, sample) => sum + sample.renders, 0),
      drawTimeP50: quantile(costs, 0.5),
      drawTimeP95: quantile(costs, 0.95),
    };
  }
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Largest distance between frames on a loop of `total` frames (a wrap is not a jump). */
export function circularSpread(frames: Iterable<number>, total: number): number {
  const unique = [...new Set(frames)].sort((a, b) => a - b);
  if (unique.length < 2) return 0;
  let largestGap = total - unique.at(-1)! + unique[0]!;
  for (let i = 1; i < unique.length; i += 1) largestGap = Math.max(largestGap, unique[i]! - unique[i - 1]!);
  return total - largestGap;
}
