import type { PlaybackSpec } from '../../clock/frame-map.js';
import type { Coordinator } from '../../clock/coordinator.js';
import type { LazyState, SyncGroup } from '../../clock/sync-group.js';
import type { AnimationEntry, AnimationLease } from '../../data/animation-cache.js';
import type { AssetPlan } from '../../data/asset-policy.js';
import type { CanvasPool } from '../backends/canvas-pool.js';
import type { DrawBackend } from '../backends/draw-backend.js';
import type { PlayerConfig, PlayerView } from '../../registration/protocol.js';

export type LoadStatus = 'empty' | 'loading' | 'ready' | 'failed';

/** What a player plays, from its file: written by the loading part only. */
export class PlayerLoad {
  status: LoadStatus = 'empty';
  lease: AnimationLease | null = null;
  entry: AnimationEntry | null = null;
  /** Null until the data is loaded. */
  spec: PlaybackSpec | null = null;
  /** Where its images come from (resolved and checked once its data is in). */
  assets: AssetPlan | null = null;
}

/** Where a player is on the page: written by the viewport part only. */
export class PlayerBox {
  /** The ResizeObserver has reported on it. */
  measured = false;
  /** The box in CSS pixels. */
  cssWidth = 0;
  cssHeight = 0;
  /** The canvas size in device pixels (the CSS box times the stage's pixel ratio). */
  width = 0;
  height = 0;
  /** Within the stage's viewport margin (players off screen hold no canvas and draw nothing). */
  visible = false;
  /** The viewport observer has reported on it. */
  placed = false;

  get hasArea(): boolean {
    return this.width > 0 && this.height > 0;
  }
}

/** What a player's canvas holds: written by the canvases part (and the tick, through `planned` and `drew`). */
export class PlayerSurface {
  canvas: HTMLCanvasElement | null = null;
  /** Where it is drawn: the main thread or a worker shard (meaningful while it has a canvas). */
  backend: DrawBackend | null = null;
  /** The backend's pool the canvas came from (a surface's tiles, or canvases of their own). */
  pool: CanvasPool | null = null;
  /** The canvas is new: it counts against the first-draw budget of a tick. */
  fresh = true;
  /** A frame is on the canvas (the backend said so). */
  drawn = false;
  /** Key of the renderer this player holds a reference on (ready or not). */
  heldKey: string | null = null;
  /** Key of a renderer that is ready to draw for it. */
  renderKey: string | null = null;
  /** The frame planned for (or on) its canvas; -1 when it must be drawn again. */
  shownFrame = -1;

  /** Something changed (spec, size, group, timeline): draw it again on the next tick. */
  invalidate(): void {
    this.shownFrame = -1;
  }
}

/** A player's place in a group: written by the groups part only. */
export class PlayerTiming {
  group: SyncGroup<StagePlayer> | null = null;
  /** Its own timeline, once controlled on its own (null: its group's or the stage's). */
  clock: Coordinator | null = null;
  /** Its own timeline stays when the stage is controlled (it has a `play-on` trigger). */
  keepsClock = false;
  /** The pass it was last seen in (for loop and end events). */
  pass = 0;
  /** A lazy follower's own position. */
  lazy: LazyState | null = null;
}

/** A player's config before it has said anything: every setting at its default. */
export const DEFAULT_CONFIG: PlayerConfig = {
  src: null,
  data: null,
  animation: null,
  loop: null,
  intermission: 0,
  speed: 1,
  direction: 1,
  mode: 'normal',
  segment: null,
  marker: null,
  group: null,
  master: false,
};

/**
 * A registered player as its stage keeps it. Each section is owned by one part
 * of the runtime, the only one that writes it; the others read.
 */
export class StagePlayer {
  /** What the player asks to play; `configured` once it has said (its first update). */
  config: PlayerConfig = DEFAULT_CONFIG;
  configured = false;
  readonly load = new PlayerLoad();
  readonly box = new PlayerBox();
  readonly surface = new PlayerSurface();
  readonly timing = new PlayerTiming();

  constructor(readonly view: PlayerView) {}

  /** Still on its way to its first drawn frame (for `lottie-sync-ready`). */
  get pending(): boolean {
    const { status } = this.load;
    if (!this.configured || status === 'loading') return true;
    if (status !== 'ready') return false;
    const { box } = this;
    return !box.measured || !box.placed || (box.visible && box.hasArea && !this.surface.drawn);
  }
}
