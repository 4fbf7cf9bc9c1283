import { LottieSyncError } from '../../errors.js';
import { LottieSyncErrorEvent } from '../../events.js';
import { DEFAULT_FRAME_MEMORY } from '../../render/frame-renderer.js';
import { workersSupported } from '../../worker/worker-source.js';
import type { CanvasPool } from '../backends/canvas-pool.js';
import type { DrawBackend } from '../backends/draw-backend.js';
import { MainThreadBackend } from '../backends/main-thread-backend.js';
import { takeParkedWorker, parkWorker } from '../backends/worker-park.js';
import type { SurfaceOptions } from '../backends/surface-layout.js';
import { WorkerShard } from '../backends/worker-shard.js';
import { ExpressionRealms } from './expressions.js';
import { OffSurface } from './off-surface.js';
import type { StageHost } from './stage-host.js';
import type { StagePlayer } from './stage-player.js';

/**
 * Where a stage draws: `auto` in one worker into one canvas under the whole
 * stage (each player a tile of it) where the browser and the stage allow,
 * else as `workers`; `surface` the same, saying so when it cannot; `workers`
 * in workers into each player's canvas; `main` always on the main thread.
 */
export type RenderMode = 'auto' | 'surface' | 'workers' | 'main';

/** A worker that spends more than this per tick (90th percentile) is overloaded: the stage adds a shard and splits it. */
const SHARD_BUDGET_MS = 12;
/** A worker that has not answered a tick for this long (while the page is visible) is taken for dead. */
const WORKER_TIMEOUT_MS = 4000;
/** Splits are at least this far apart, and judged on timings taken since the last one. */
const SPLIT_EVERY_MS = 2000;

function tooSlowError(url: string): LottieSyncError {
  return new LottieSyncError(
    'too-complex',
    `lottie-web took over ${WORKER_TIMEOUT_MS / 1000} s to build ${url}, holding up its render worker; it is not built again.`,
  );
}

/** Render workers a stage runs by default: the cores less one for the page, at least one. */
export function defaultWorkerCount(): number {
  return Math.max(1, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1);
}

/** What the backends part asks of the canvases part. */
export interface BackendEvents {
  /** Give the player's canvas back to its pool (it is placed afresh when it next needs one). */
  returnCanvas(player: StagePlayer): void;
  /** Give the player a canvas again if it wants one. */
  syncCanvas(player: StagePlayer): void;
  /** The player's worker is gone, and its canvas and renderer with it. */
  evict(player: StagePlayer): void;
  /** The player's file cannot be drawn anywhere. */
  failed(player: StagePlayer, error: LottieSyncError): void;
}

/**
 * The places a stage draws: the main thread and its render workers (shards).
 * It places each player that needs a canvas (the main thread when workers are
 * off, unsupported, broken or the file needs a document; else a shard), splits
 * an overloaded shard, watches the workers and handles their failure.
 */
export class Backends {
  readonly main = new MainThreadBackend();
  /** `render`: draw in workers (where supported) or on the main thread. */
  renderMode: RenderMode = 'auto';
  /** Most players one worker takes before another is started (small values force shards, for tests). */
  shardSize = Infinity;
  /** A same-origin URL of the classic worker script, instead of the built-in one. */
  workerUrl: string | null = null;
  /** A new canvas under the stage's players, for `render="surface"` (null: the stage has no surface). */
  private surfaceElements: (() => readonly [HTMLCanvasElement, HTMLCanvasElement]) | null = null;
  /** The stage grew past one surface: it draws into each player's canvas until `render` is set again. */
  private surfaceRefused = false;
  /** Players the surface cannot show: drawn into canvases of their own. */
  private readonly offSurface: OffSurface;
  private readonly shards: WorkerShard[] = [];
  /** The players placed on each shard. */
  private readonly placed = new Map<WorkerShard, Set<StagePlayer>>();
  private readonly shardOf = new Map<StagePlayer, WorkerShard>();
  private started = 0;
  /** A worker failed: this stage draws on the main thread from then on. */
  private broken = false;
  private limit = defaultWorkerCount();
  private frameMemory = DEFAULT_FRAME_MEMORY;
  /** Files a worker could not build: drawn on the main thread from then on. */
  private readonly mainThreadOnly = new Set<string>();
  /** Files whose build held a worker past its deadline: not built anywhere again (the main thread would freeze). */
  private readonly unbuildable = new Set<string>();
  private lastSplitAt = -Infinity;
  /** The previous watchdog check: a long gap (a frozen page) is not a worker that stopped answering. */
  private lastCheckAt = 0;

  /** Where files with expressions are drawn. */
  readonly expressions: ExpressionRealms;

  constructor(
    private readonly host: StageHost,
    private readonly events: BackendEvents,
  ) {
    this.expressions = new ExpressionRealms(host, () => this.frameMemory, {
      replace: (player) => this.moveTo(player, null),
      evict: (player) => this.events.evict(player),
      returnCanvas: (player) => this.events.returnCanvas(player),
      presenter: () => this.presenter(),
    });
    this.offSurface = new OffSurface(host, (player) => this.moveTo(player, null));
  }

  /** The main thread, every live shard, and the places for files with expressions. */
  get all(): readonly DrawBackend[] {
    return [this.main, ...this.shards, ...this.expressions.backends];
  }

  /**
   * Some render worker has not answered its tick yet (every worker draws the
   * same tick). The sandbox is not waited for: while it draws, its players
   * skip ticks (see Tick), so a slow realm never slows the other players.
   */
  get busy(): boolean {
    return this.shards.some((shard) => shard.busy);
  }

  /** Some worker is building renderers (their files' first frames hold its ticks). */
  get building(): boolean {
    return this.shards.some((shard) => shard.building.length > 0);
  }

  get workers(): number {
    return this.shards.length;
  }

  get workersStarted(): number {
    return this.started;
  }

  /** The slowest worker's drawing time per tick at quantile `q` over the last second (ms). */
  workerCost(q: number, now: number): number {
    let cost = 0;
    for (const shard of this.shards) cost = Math.max(cost, shard.costP(q, now));
    return cost;
  }

  /**
   * Where `player` is drawn: the main thread when workers are off,
   * unsupported, broken or the file needs a document; else the shard it is
   * placed on, a shard that already holds its file (drawing once still pays),
   * the least-loaded shard with room, or a new shard while there are fewer
   * than `maxWorkers`.
   */
  place(player: StagePlayer): DrawBackend | null {
    const entry = player.load.entry;
    if (entry && this.unbuildable.has(entry.url)) {
      this.events.failed(player, tooSlowError(entry.url));
      return null;
    }
    const realm = this.expressions.place(player);
    // Null: the sandbox's code is on its way; the player is placed again then.
    if (realm !== undefined) {
      this.leaveShard(player);
      return realm;
    }
    if (this.renderMode === 'main' || this.broken || !entry?.meta.workerSafe || this.mainThreadOnly.has(entry.url) || !workersSupported()) {
      this.leave(player);
      return this.main;
    }
    const current = this.shardOf.get(player);
    if (current?.alive) return current;
    if (this.drawsSurface) {
      // One worker draws the whole surface (and the players it cannot show, into canvases of their own: see poolOf).
      const shard = this.shards[0] ?? this.startShard();
      if (!shard) return this.main;
      this.reserve(player, shard);
      return shard;
    }
    const now = performance.now();
    const size = (shard: WorkerShard) => this.placed.get(shard)?.size ?? 0;
    const load = (shard: WorkerShard) => shard.costP(0.9, now) * 1000 + size(shard);
    const withRoom = this.shards.filter((shard) => size(shard) < this.shardSize);
    let shard = withRoom.find((candidate) => candidate.hasFile(entry.url));
    if (!shard && withRoom.length === 0 && this.shards.length < this.limit) shard = this.startShard() ?? undefined;
    shard ??= [...(withRoom.length > 0 ? withRoom : this.shards)].sort((a, b) => load(a) - load(b))[0];
    if (!shard) return this.main;
    this.reserve(player, shard);
    return shard;
  }

  /** The pool of `backend` that `player`'s canvas comes from: a canvas of its own when a surface cannot show it. */
  poolOf(player: StagePlayer, backend: DrawBackend): CanvasPool {
    return (this.offSurface.has(player) && backend.ownPool) || backend.pool;
  }

  /**
   * The render worker that shows the sandbox's frames: the first (started if
   * need be), or none when the stage draws on the main thread.
   */
  private presenter(): WorkerShard | null {
    if (this.renderMode === 'main' || this.broken || !workersSupported()) return null;
    return this.shards[0] ?? this.startShard();
  }

  /** The player holds no canvas: it costs its worker nothing, and is placed again when it needs one. */
  leave(player: StagePlayer): void {
    this.expressions.leave(player);
    this.leaveShard(player);
  }

  private leaveShard(player: StagePlayer): void {
    const shard = this.shardOf.get(player);
    if (!shard) return;
    this.shardOf.delete(player);
    this.placed.get(shard)?.delete(player);
  }

  private reserve(player: StagePlayer, shard: WorkerShard): void {
    this.shardOf.set(player, shard);
    this.placed.get(shard)!.add(player);
  }

  /** Gives `player`'s canvas back and has it set up again: on `shard`, or placed afresh. */
  private moveTo(player: StagePlayer, shard: WorkerShard | null): void {
    this.events.returnCanvas(player);
    if (shard) this.reserve(player, shard);
    this.events.syncCanvas(player);
  }

  get maxWorkers(): number {
    return this.limit;
  }

  /** A lower limit ends the workers over it; their players move to the others. */
  set maxWorkers(limit: number) {
    this.limit = limit;
    while (this.shards.length > limit) {
      const shard = this.shards.pop()!;
      for (const player of [...this.placed.get(shard)!]) this.moveTo(player, null);
      this.placed.delete(shard);
      this.expressions.presenterGone(shard);
      shard.terminate();
    }
  }

  /** Bytes of drawn frames each thread keeps for reuse: this stage's workers, and the page's main thread (shared by all stages; the last set wins). */
  get frameMemoryBytes(): number {
    return this.frameMemory;
  }

  set frameMemoryBytes(bytes: number) {
    this.frameMemory = bytes;
    this.main.renderers.memory.limitBytes = bytes;
    for (const shard of this.shards) shard.setFrameMemory(bytes);
  }

  /** How the stage makes the two canvases under its players for `render="surface"` (a player's private clock has none). */
  provideSurface(make: () => readonly [HTMLCanvasElement, HTMLCanvasElement]): void {
    this.surfaceElements = make;
  }

  /** A stage surface is in force (`auto` or `surface`, the stage has one, and it has not refused one). */
  private get drawsSurface(): boolean {
    return (this.renderMode === 'auto' || this.renderMode === 'surface') && this.surfaceElements !== null && !this.surfaceRefused;
  }

  /** Switches between drawing in workers, on the main thread and into a stage surface; every player with a canvas moves at once. */
  setRenderMode(mode: RenderMode, players: Iterable<StagePlayer>): void {
    if (mode === this.renderMode && !this.surfaceRefused) return;
    this.offSurface.clear();
    const wasSurface = this.drawsSurface;
    this.renderMode = mode;
    this.surfaceRefused = false;
    for (const player of players) if (player.surface.canvas) this.moveTo(player, null);
    // A surface shard's canvases and other shards' cannot be mixed: the workers start again.
    if (mode === 'main' || wasSurface || this.drawsSurface) this.stopWorkers();
  }

  /**
   * A renderer could not be built where `player` is placed. Built in a worker
   * only, the file may still draw on the main thread: it moves there (true).
   * False: it cannot be drawn anywhere.
   */
  rendererFailed(player: StagePlayer, error: Error): boolean {
    if (this.expressions.rendererFailed(player, error.message)) return true;
    const shard = this.shardOf.get(player);
    const url = player.load.entry?.url;
    if (!shard?.alive || player.surface.backend !== shard || url === undefined) return false;
    this.mainThreadOnly.add(url);
    this.moveTo(player, null);
    return true;
  }

  /** Before a tick: a worker that stopped answering is taken for dead (not after a frozen page). */
  watchdog(now: number): void {
    const gap = now - this.lastCheckAt;
    this.lastCheckAt = now;
    for (const shard of [...this.shards]) {
      // After a frozen or stalled page the answer may simply not have been read yet.
      if (gap > 1000) shard.extendDeadline(now);
      else if (shard.overdue(now, WORKER_TIMEOUT_MS)) {
        const building = shard.building;
        if (building.length > 0) this.replaceStuck(shard, building);
        else shard.fail('it stopped answering');
      }
    }
    this.expressions.watchdog(now, gap > 1000);
  }

  /**
   * An overloaded shard (over budget with players to spare, or over
   * `shardSize`) gives half its players, whole files first, to a new one.
   */
  rebalance(now: number): void {
    if (this.drawsSurface || this.broken || this.shards.length >= this.limit || now - this.lastSplitAt < SPLIT_EVERY_MS) return;
    const size = (shard: WorkerShard) => this.placed.get(shard)?.size ?? 0;
    const overloaded = this.shards.find(
      (shard) => size(shard) > this.shardSize || (size(shard) >= 2 && shard.costP(0.9, now) > SHARD_BUDGET_MS),
    );
    if (!overloaded) return;
    const fresh = this.startShard();
    if (!fresh) return;
    this.lastSplitAt = now;
    overloaded.resetCosts();
    const sorted = [...this.placed.get(overloaded)!].sort((a, b) => (a.load.entry?.url ?? '').localeCompare(b.load.entry?.url ?? ''));
    for (const player of sorted.slice(Math.ceil(sorted.length / 2))) this.moveTo(player, fresh);
  }

  /** Ends every worker (the stage left the document, or drawing moved to the main thread); players get canvases again when they ask. */
  stopWorkers(): void {
    for (const shard of this.shards.splice(0)) this.endShard(shard);
  }

  /**
   * The stage left the document: its workers are parked for the next stage of
   * the page (with their canvases, see worker-park.ts), and its link to the
   * sandbox ends.
   */
  stopAll(): void {
    this.offSurface.clear();
    this.expressions.stop();
    for (const shard of this.shards.splice(0)) {
      for (const player of [...(this.placed.get(shard) ?? [])]) this.events.returnCanvas(player);
      this.placed.delete(shard);
      // A surface belongs to its stage's shadow root: its worker is not kept for another stage.
      if (shard.drawsSurface) shard.terminate();
      else parkWorker(shard, this.workerUrl);
    }
  }

  private endShard(shard: WorkerShard): void {
    for (const player of this.placed.get(shard) ?? []) {
      this.shardOf.delete(player);
      this.events.evict(player);
    }
    this.placed.delete(shard);
    this.expressions.presenterGone(shard);
    shard.terminate();
  }

  private startShard(): WorkerShard | null {
    try {
      const onFailure = (failed: WorkerShard, message: string) => this.workerFailed(failed, message);
      const shard = this.drawsSurface
        ? new WorkerShard(this.workerUrl, this.frameMemory, onFailure, this.surfaceOptions())
        : (takeParkedWorker(this.workerUrl) ?? new WorkerShard(this.workerUrl, this.frameMemory, onFailure));
      shard.adopt(this.frameMemory, onFailure);
      this.shards.push(shard);
      this.placed.set(shard, new Set());
      this.started += 1;
      return shard;
    } catch (error) {
      this.reportFailure((error as Error).message);
      return null;
    }
  }

  /** Every player placed on a shard (before the shards are ended: ending one forgets its players). */
  private placedPlayers(): StagePlayer[] {
    return [...this.placed.values()].flatMap((set) => [...set]);
  }

  private surfaceOptions(): SurfaceOptions {
    const elements = this.surfaceElements!();
    this.offSurface.surfaceIn((elements[0].getRootNode() as ShadowRoot).host ?? null);
    return {
      elements,
      moved: () => this.host.requestDraw(),
      refuse: (reason) => this.refuseSurface(reason),
      hidden: (id, reason) => queueMicrotask(() => this.moveOffSurface(id, reason)),
      idle: () => this.offSurface.check(this.drawsSurface),
    };
  }

  /** Tile `id` would be hidden on the surface (`reason`): its player is drawn into a canvas of its own instead. */
  private moveOffSurface(id: number, reason: string): void {
    const shard = this.shards[0];
    if (!this.drawsSurface || !shard) return;
    // The sandbox's players are tiles of its presenter's surface too.
    for (const player of [...(this.placed.get(shard) ?? []), ...this.expressions.sandboxPlayers]) {
      const canvas = player.surface.canvas;
      if (canvas && shard.canvasId(canvas) === id) return this.offSurface.hide(player, reason);
    }
  }

  /**
   * The stage cannot hold a surface (`reason`): its players go back to
   * canvases of their own (in workers), until `render` is set again. The page
   * is told; with `render="surface"` asked for, with a non-fatal error too.
   */
  private refuseSurface(reason: string): void {
    if (this.surfaceRefused) return;
    this.surfaceRefused = true;
    const players = this.placedPlayers();
    this.stopWorkers();
    for (const player of players) this.events.syncCanvas(player);
    this.host.requestDraw();
    const text = `render="${this.renderMode}": no stage surface (${reason}); each player draws into a canvas of its own instead.`;
    if (this.host.label) console.warn(`${this.host.label}: ${text}`);
    if (this.renderMode === 'surface') this.host.emit(new LottieSyncErrorEvent('invalid-attribute', text, null, false));
  }

  /**
   * A worker held past its deadline while building files: those files are
   * what stopped it. They fail (too-complex) and are not built again; the
   * worker is ended, and its other players go to a fresh one.
   */
  private replaceStuck(shard: WorkerShard, building: readonly string[]): void {
    for (const url of building) this.unbuildable.add(url);
    const index = this.shards.indexOf(shard);
    if (index >= 0) this.shards.splice(index, 1);
    const players = [...(this.placed.get(shard) ?? [])];
    this.endShard(shard);
    for (const player of players) this.events.syncCanvas(player);
    this.host.requestDraw();
  }

  /** A worker crashed or would not start: its players move to the main thread, and the stage stays there. */
  private workerFailed(shard: WorkerShard, message: string): void {
    const index = this.shards.indexOf(shard);
    if (index >= 0) this.shards.splice(index, 1);
    // Its players are still counted as placed on it until it is ended.
    const players = this.placedPlayers();
    this.endShard(shard);
    this.reportFailure(message);
    // The others would most likely fail the same way: every player moves to the main thread now.
    this.stopWorkers();
    for (const player of players) this.events.syncCanvas(player);
    this.host.requestDraw();
  }

  private reportFailure(message: string): void {
    this.broken = true;
    const text = `The render worker failed (${message}); drawing on the main thread instead.`;
    if (this.host.label) console.warn(`${this.host.label}: ${text}`);
    this.host.emit(new LottieSyncErrorEvent('worker-failed', text, null, false));
  }
}
