import { DrawRecorder, quantile } from '../../clock/draw-recorder.js';
import { ADAPTIVE_RATES, AdaptiveRate, tierFor, type Tier } from '../../clock/tiers.js';
import { LottieSyncTierEvent } from '../../events.js';
import type { TierSource } from '../../metrics.js';
import type { StageHost } from './stage-host.js';

/** How a stage chooses its draw rate: by player count, fixed, or from measured cost. */
export type RatePolicy =
  | { readonly kind: 'table'; readonly tiers: readonly Tier[] }
  | { readonly kind: 'fixed'; readonly fps: number }
  | { readonly kind: 'adaptive' };

/** A tick may come this much early and still count as due (vsync jitter). */
const FRAME_SLACK_MS = 4;
/** How often the adaptive mode looks at the measured draw cost. */
const ADAPT_EVERY_MS = 500;

/**
 * How often the stage draws: the tier in force (by player count, fixed, or
 * adaptive), whether a tick is due, the record of what ticks cost, and the
 * adaptive mode's rate and pixel-scale decisions.
 */
export class DrawRate {
  readonly recorder = new DrawRecorder();
  private policy: RatePolicy = { kind: 'adaptive' };
  private adaptive = new AdaptiveRate();
  private fps = 0;
  private lastDrawAt = -Infinity;
  private lastAdaptAt = 0;
  /** Something changed that must be drawn on the next tick, whatever the tier. */
  private dirty = true;
  /** Frames since the last adaptive check on which a due tick waited for a worker's answer. */
  private heldBack = 0;

  constructor(
    private readonly host: StageHost,
    /** Players registered now (the table's key). */
    private readonly playerCount: () => number,
  ) {}

  get source(): TierSource {
    return this.policy.kind;
  }

  /** Draws per second in force. */
  get tierFps(): number {
    if (this.fps === 0) this.update();
    return this.fps;
  }

  /** The pixel-ratio multiplier the adaptive mode asks for (1 in other modes). */
  get pixelScale(): number {
    return this.policy.kind === 'adaptive' ? this.adaptive.pixelScale : 1;
  }

  setPolicy(policy: RatePolicy): void {
    this.policy = policy;
    if (policy.kind === 'adaptive') this.adaptive = new AdaptiveRate();
    this.update();
  }

  /** The tier for the current policy and player count; announces a change. */
  update(): void {
    const policy = this.policy;
    const fps =
      policy.kind === 'table' ? tierFor(policy.tiers, this.playerCount()) : policy.kind === 'fixed' ? policy.fps : this.adaptive.fps;
    if (fps === this.fps) return;
    const previous = this.fps;
    this.fps = fps;
    if (previous !== 0) this.host.emit(new LottieSyncTierEvent(fps, policy.kind, previous));
  }

  /** Draw on the next tick, whatever the tier. */
  markDirty(): void {
    this.dirty = true;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  /** Whether a tick at `now` draws: something waits to be drawn, the timeline is paused, or the tier's interval has passed. */
  due(now: number, paused: boolean): boolean {
    return this.dirty || paused || now - this.lastDrawAt >= 1000 / this.tierFps - FRAME_SLACK_MS;
  }

  /** A due tick waited for a worker's answer. */
  heldBackByWorker(): void {
    this.heldBack += 1;
  }

  /** A tick draws now. */
  drawing(now: number): void {
    this.dirty = false;
    this.lastDrawAt = now;
  }

  /** Whether it is time for the half-second look at the measured cost (the shards' split check runs then too). */
  adaptDue(now: number): boolean {
    return now - this.lastAdaptAt >= ADAPT_EVERY_MS;
  }

  /**
   * The adaptive mode's half-second look: from the main thread's cost of the
   * ticks since the last look and the workers' (`workerCost`, ms a tick, median),
   * the next rate and pixel scale. `building`: a worker is building renderers
   * (a file's first frames), which holds ticks without saying anything of what
   * drawing costs. Returns whether the pixel scale changed.
   */
  adapt(now: number, workerCostP50: number, building = false): boolean {
    const since = this.lastAdaptAt;
    const costs = this.recorder.costsSince(since);
    this.lastAdaptAt = now;
    const heldBack = this.heldBack;
    this.heldBack = 0;
    if (this.policy.kind !== 'adaptive' || costs.length === 0) return false;
    const scale = this.adaptive.pixelScale;
    // The main thread keeps half of the frame for the page; a worker may use all of its thread
    // (the next tick waits for its answer anyway), so its cost counts half against the same budget.
    // The median, not a high percentile: a worker works through its ticks in turn, so what it sustains
    // follows its typical tick; a few slow ones (a file's first frames, frames not kept yet) only delay
    // the next tick, and taking the 90th percentile held 20 distinct files at half their frames.
    let workerCost = workerCostP50;
    // A worker can also be slow for reasons its drawing time does not show (a busy core, its
    // canvases' commits). Waiting for its answers paces the ticks by itself, so that alone does
    // not lower the rate; but when due ticks waited and came slower than even the lowest rate,
    // the interval between them is what a tick costs, and the pixel ratio steps down. (`costs`
    // holds the ticks since the last check, that one included: one interval fewer.) Not while a
    // worker builds renderers: a page of 20 files waited 0.4-0.6 s a tick while they were built,
    // which dropped the rate to its lowest, and it took 8 s to climb back.
    const interval = (now - since) / Math.max(1, costs.length - 1);
    if (heldBack > 0 && !building && interval > 1.2 * (1000 / ADAPTIVE_RATES.at(-1)!)) workerCost = Math.max(workerCost, interval);
    this.adaptive.update(Math.max(quantile(costs, 0.9), workerCost * 0.5));
    this.update();
    return this.adaptive.pixelScale !== scale;
  }
}
