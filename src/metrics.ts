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
  /** Players whose file has expressions, drawn in the sandbox realm. */
  readonly playersSandboxed: number;
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
