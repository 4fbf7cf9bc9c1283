import type { LottieSyncError } from '../../errors.js';
import type { Backends } from './backends.js';
import type { StageHost } from './stage-host.js';
import type { StagePlayer } from './stage-player.js';

/**
 * Most canvases shown for the first time in one tick. A canvas's first frames
 * cost the browser far more than the copy itself (its layer and raster
 * resources are set up in the same frame, about 0.25 ms each in software), so
 * hundreds of new players appear over several frames instead of in one long task.
 */
const FIRST_DRAWS_PER_TICK = 16;
/** What the canvases part tells the rest of the stage. */
export interface CanvasEvents {
  /** A new canvas is leased in the next time-budgeted batch. */
  queueLease(player: StagePlayer): void;
  /** The player cannot be drawn anywhere. */
  failed(player: StagePlayer, error: LottieSyncError): void;
  /** Whether the player is still registered. */
  registered(player: StagePlayer): boolean;
}

/**
 * Each player's canvas and renderer: a canvas of its box's size leased from its
 * backend's pool while it is registered, visible, has a box and is loaded (and
 * given back otherwise), and a reference on the renderer that draws its file
 * at that size. A canvas is put in the player once its first frame is on it.
 */
export class Canvases {
  /** Canvases that may still be shown for the first time in this tick. */
  private firstDrawsLeft = FIRST_DRAWS_PER_TICK;

  constructor(
    private readonly host: StageHost,
    private readonly backends: Backends,
    private readonly events: CanvasEvents,
  ) {}

  private wants(player: StagePlayer): boolean {
    const { box, load } = player;
    return this.events.registered(player) && box.visible && box.hasArea && load.status === 'ready';
  }

  /**
   * Gives the player a canvas of its box's size while it wants one, and takes
   * the canvas back otherwise. New canvases are leased through the set-up queue.
   */
  sync(player: StagePlayer): void {
    const { surface, box } = player;
    if (!this.wants(player)) {
      this.giveBack(player);
      return;
    }
    if (!surface.canvas || !surface.pool) {
      this.events.queueLease(player);
      return;
    }
    if (surface.pool.resize(surface.canvas, box.width, box.height)) surface.invalidate();
    this.attachRenderer(player);
  }

  /** Leases a canvas (from the set-up queue), if the player still wants one and has none. */
  lease(player: StagePlayer): void {
    const { surface, box } = player;
    if (surface.canvas || !this.wants(player)) {
      this.sync(player);
      return;
    }
    const backend = this.backends.place(player);
    // Null: it has nowhere to be drawn (its file failed as it was placed), or not yet (the sandbox's code is loading: it is placed again then).
    if (!backend) return;
    const pool = this.backends.poolOf(player, backend);
    surface.backend = backend;
    surface.pool = pool;
    surface.canvas = pool.acquire(box.width, box.height);
    // A canvas of its own (ownPool) is not a tile of the surface.
    if (pool === backend.pool) backend.follow?.(surface.canvas, player.view.element);
    surface.fresh = true;
    surface.drawn = false;
    surface.invalidate();
    this.attachRenderer(player);
    this.host.requestDraw();
  }

  /**
   * Takes the player's canvas (and its renderer reference) back to its pool. A
   * player without a canvas costs its worker nothing: it leaves its shard and is
   * placed again when it needs a canvas.
   */
  giveBack(player: StagePlayer): void {
    const { surface } = player;
    const { canvas, pool } = surface;
    if (canvas && pool) {
      this.dropRenderer(player);
      player.view.mountCanvas(null);
      pool.release(canvas);
      // A worker's canvas (or a tile of its surface) is cleared with its next tick: one is due even while paused.
      this.host.requestDraw();
    }
    surface.canvas = null;
    surface.backend = null;
    surface.pool = null;
    this.backends.leave(player);
  }

  /** The player's worker is gone, and its canvas and renderer with it. */
  evict(player: StagePlayer): void {
    const { surface } = player;
    surface.heldKey = null;
    surface.renderKey = null;
    surface.invalidate();
    if (surface.canvas) player.view.mountCanvas(null);
    surface.canvas = null;
    surface.backend = null;
    surface.pool = null;
  }

  /** Lets go of the renderer (the data is gone, or the canvas); the player draws nothing until it has another. */
  dropRenderer(player: StagePlayer): void {
    const { surface } = player;
    if (surface.heldKey !== null) surface.backend?.releaseRenderer(surface.heldKey);
    surface.heldKey = null;
    surface.renderKey = null;
    surface.invalidate();
  }

  /** Holds a renderer of the player's file at its canvas size, where its canvas is drawn. */
  private attachRenderer(player: StagePlayer): void {
    const { surface, box } = player;
    const entry = player.load.entry;
    const backend = surface.backend;
    if (!entry || !surface.canvas || !backend || !box.hasArea) return;
    const key = backend.rendererKey(entry.url, box.width, box.height);
    if (surface.heldKey === key) return;
    this.dropRenderer(player);
    let ready: Promise<void>;
    try {
      ready = backend.acquireRenderer({ entry, width: box.width, height: box.height, assets: player.load.assets?.sources ?? [] }).ready;
    } catch (error) {
      this.events.failed(player, error as LottieSyncError);
      return;
    }
    surface.heldKey = key;
    ready.then(
      () => {
        if (surface.heldKey !== key) return;
        surface.renderKey = key;
        this.host.requestDraw();
      },
      (error: LottieSyncError) => {
        if (surface.heldKey !== key) return;
        if (!this.backends.rendererFailed(player, error)) this.events.failed(player, error);
      },
    );
  }

  /**
   * A tick starts: a new budget of first draws. (Halving it after a slow
   * frame was tried: on a 2-core machine in software, start-up frames are
   * often over 40 ms, so 200 players took 1.5 s longer to appear.)
   */
  beginTick(): void {
    this.firstDrawsLeft = FIRST_DRAWS_PER_TICK;
  }

  /**
   * Whether the player may be drawn this tick: a canvas shown for the first
   * time counts against the tick's budget. Already-shown players are never held
   * back, so they never show a stale frame. False: it waits for the next tick.
   */
  mayShow(player: StagePlayer): boolean {
    const { surface } = player;
    if (!surface.fresh) return true;
    if (this.firstDrawsLeft === 0) return false;
    this.firstDrawsLeft -= 1;
    surface.fresh = false;
    return true;
  }

  /** The backend says `frame` is on `canvas`: a canvas still the player's is shown from its first frame on. */
  drew(player: StagePlayer, canvas: HTMLCanvasElement, frame: number): void {
    const { surface } = player;
    if (surface.canvas !== canvas) return;
    if (!surface.drawn) player.view.mountCanvas(canvas);
    surface.drawn = true;
    player.view.frameDrawn(frame);
  }

  /** Canvases lent out and kept for reuse, over every backend. */
  get counts(): { leased: number; idle: number } {
    let leased = 0;
    let idle = 0;
    // The sandbox's canvases are its presenter's: each pool is counted once.
    const pools = new Set(this.backends.all.flatMap((backend) => [backend.pool, backend.ownPool ?? backend.pool]));
    for (const pool of pools) {
      leased += pool.leased;
      idle += pool.available;
    }
    return { leased, idle };
  }
}
