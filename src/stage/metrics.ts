/** What a stage reports about itself (`stage.metrics`, `lottie-sync-metrics`). */
export interface StageMetrics {
  /** Ticks that drew, per second (the tier caps it). */
  readonly ticksPerSecond: number;
  /** Player canvases updated per second, all players together. */
  readonly framesDrawnPerSecond: number;
  /** Frames drawn by lottie-web per second (one per distinct file, size and frame). */
  readonly rendersPerSecond: number;
  /** Main-thread time of one drawing tick, median and 95th percentile, ms. */
  readonly drawTimeP50: number;
  readonly drawTimeP95: number;
  /** The draw rate in force and where it comes from. */
  readonly tierFps: number;
  readonly tierSource: TierSource;
  /** Device pixels per CSS pixel canvases are drawn at (lower than the screen's when the adaptive mode trades sharpness for speed). */
  readonly pixelRatio: number;
  /** Largest difference in frames, now, between players that play the same file the same way (and group). */
  readonly spread: number;
  readonly playersTotal: number;
  /** Players within the viewport (and its margin); the others hold no canvas and draw nothing. */
  readonly playersVisible: number;
  /** Players with a canvas and a loaded animation. */
  readonly playersDrawing: number;
  /** Canvases lent to players, and kept for reuse. */
  readonly canvasesLeased: number;
  readonly canvasesIdle: number;
  /** lottie-web instances alive (on the main thread and in workers). */
  readonly renderers: number;
  /** Render workers running now (shards), and started since the stage was made. */
  readonly workers: number;
  readonly workersStarted: number;
  /** The slowest worker's drawing time per tick, 95th percentile over the last second (ms); 0 without workers. */
  readonly workerDrawTimeP95: number;
  /** Used JS heap in bytes, where the browser tells it (Chromium), else null. */
  readonly heapBytes: number | null;
  /** With a relay: the estimated offset of the relay's clock (ms, relay minus local) and the lowest round trip. */
  readonly clockOffsetMs?: number;
  readonly roundTripMs?: number | null;
  /** With a relay: the ping samples the clock estimate rests on now (up to 128). */
  readonly clockSamples?: number;
}

export type TierSource = 'table' | 'fixed' | 'adaptive';

interface DrawSample {
  readonly at: number;
  readonly cost: number;
  readonly canvases: number;
  readonly renders: number;
}

const WINDOW_MS = 1000;

/** Keeps the last second of drawing ticks. DOM-free. */
export class DrawRecorder {
  private samples: DrawSample[] = [];

  record(at: number, cost: number, canvases: number, renders: number): void {
    this.samples.push({ at, cost, canvases, renders });
    this.trim(at);
  }

  /** Frames a worker drew for the last tick (known when it answers). */
  addRenders(renders: number): void {
    const last = this.samples.at(-1);
    if (last) this.samples[this.samples.length - 1] = { ...last, renders: last.renders + renders };
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
