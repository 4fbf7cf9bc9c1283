import { frameCount, specDuration, type PlaybackSpec } from '../../clock/frame-map.js';
import { DEFAULT_MAX_BYTES, type AnimationCache } from '../../data/animation-cache.js';
import { planAssets, type AssetOrigins } from '../../data/asset-policy.js';
import type { LottieMeta } from '../../data/lottie-data.js';
import { LottieSyncError } from '../../errors.js';
import type { StageHost } from './stage-host.js';
import type { StagePlayer } from './stage-player.js';

/** Limits on what a file may hold before lottie-web builds it. */
export interface BuildLimits {
  /** Layers, each precomp counted once per use. */
  readonly layers: number;
  /** Shape items, counted the same way. */
  readonly shapes: number;
}

/**
 * Defaults far above every file of lottie-web's and dotlottie-web's test sets
 * (at most 628 layers, 3,256 shape items and precomps 4 deep), and far below
 * what freezes a thread while lottie-web builds it.
 */
export const DEFAULT_LIMITS: BuildLimits = { layers: 5000, shapes: 50_000 };
/** Precomps nested deeper than this are not built (lottie-web recurses once per level). */
export const MAX_PRECOMP_DEPTH = 16;

/** What loading tells the rest of the stage. */
export interface LoadingEvents {
  /** A player's data arrived: it is set up in the next time-budgeted batch. */
  arrived(player: StagePlayer): void;
  /** A player's data (and so its renderer) is gone, or it failed: its canvas follows. */
  dropped(player: StagePlayer): void;
  /** A player's spec changed: it draws again. */
  respecified(player: StagePlayer): void;
}

/**
 * Each player's data and what it plays from it: one claim on the page-wide
 * cache per player, the playback spec built from the file and the player's
 * attributes (with the stage's `loop` as the default), and failures.
 */
export class Loading {
  /** Default `loop` for players that do not set their own. */
  loop = false;
  maxBytes = DEFAULT_MAX_BYTES;
  limits: BuildLimits = DEFAULT_LIMITS;
  /** Origins besides the file's own that its images may load from (`asset-origins`). */
  assetOrigins: AssetOrigins = new Set();

  constructor(
    private readonly host: StageHost,
    private readonly cache: AnimationCache,
    private readonly events: LoadingEvents,
  ) {}

  /** The player's attributes changed; a new `src` starts a new load. */
  update(player: StagePlayer, srcChanged: boolean): void {
    const { load, config } = player;
    if (!srcChanged) {
      if (load.entry) this.buildSpec(player, true);
      this.host.requestDraw();
      return;
    }
    this.drop(player);
    if (!config.src && config.data === null) {
      load.status = 'empty';
      this.host.checkReady();
      return;
    }
    load.status = 'loading';
    // A new src after a failure gets its canvas back.
    this.events.dropped(player);
    const lease = this.cache.acquire(
      config.data !== null ? { data: config.data } : { url: config.src!, animation: config.animation },
      this.maxBytes,
    );
    load.lease = lease;
    lease.entry.then(
      (entry) => {
        if (load.lease !== lease) return;
        load.entry = entry;
        this.events.arrived(player);
      },
      (error: LottieSyncError) => {
        if (load.lease === lease) this.fail(player, error);
      },
    );
  }

  /** The player's data arrived earlier: it is ready, and says so. */
  finish(player: StagePlayer): void {
    const { load } = player;
    if (load.status !== 'loading' || !load.entry) return;
    const excess = this.excess(load.entry.meta);
    if (excess) {
      this.fail(player, new LottieSyncError('too-complex', `${load.entry.url} ${excess}; it is not built.`));
      return;
    }
    load.status = 'ready';
    load.assets = planAssets(load.entry.meta.images, load.entry.base, this.assetOrigins);
    for (const url of load.assets.blocked) {
      player.view.failed(
        new LottieSyncError(
          'asset-blocked',
          `${load.entry.url} asks for the image ${url}, which is not on the file's origin; it is not loaded (allow its origin with asset-origins).`,
        ),
      );
    }
    this.buildSpec(player, true);
    const spec = load.spec!;
    player.view.loaded(load.entry.meta, frameCount(spec), specDuration(spec));
    this.host.checkReady();
  }

  /** What in the file is over the stage's limits, or null. */
  private excess(meta: LottieMeta): string | null {
    const { layers, shapes } = this.limits;
    if (meta.layers > layers) return `has ${meta.layers} layers (precomps counted once per use), more than max-layers (${layers})`;
    if (meta.shapes > shapes) return `has ${meta.shapes} shape items, more than max-shapes (${shapes})`;
    if (meta.depth > MAX_PRECOMP_DEPTH) return `nests precomps ${meta.depth} deep, more than ${MAX_PRECOMP_DEPTH}`;
    return null;
  }

  fail(player: StagePlayer, error: LottieSyncError): void {
    player.load.status = 'failed';
    this.drop(player);
    this.events.dropped(player);
    player.view.failed(error);
    this.host.checkReady();
  }

  /** Lets go of the player's data (it left, or its src changed). */
  drop(player: StagePlayer): void {
    const { load } = player;
    load.lease?.release();
    load.lease = null;
    load.entry = null;
    load.spec = null;
    load.assets = null;
  }

  /** The stage's default loop changed: every player rebuilds what it plays. */
  respecifyAll(players: Iterable<StagePlayer>): void {
    for (const player of players) this.buildSpec(player, false);
    this.host.requestDraw();
  }

  /** Computes what `player` plays from its file, its attributes and the stage's loop. */
  private buildSpec(player: StagePlayer, announce: boolean): void {
    const entry = player.load.entry;
    if (!entry) return;
    const { config } = player;
    const { meta } = entry;
    let start = 0;
    let end = meta.totalFrames;
    if (config.segment) {
      const [from, to] = config.segment;
      if (from >= 0 && to <= meta.totalFrames && from < to) [start, end] = [from, to];
      else if (announce) {
        player.view.failed(
          new LottieSyncError(
            'invalid-attribute',
            `segment="${from} ${to}" is outside the file's frames 0 to ${meta.totalFrames}; playing the whole file.`,
          ),
        );
      }
    } else if (config.marker !== null) {
      const marker = meta.markers.find((m) => m.name === config.marker);
      if (marker) [start, end] = [marker.start, marker.end];
      else if (announce) {
        const names = meta.markers.map((m) => `"${m.name}"`).join(', ') || 'none';
        player.view.failed(
          new LottieSyncError(
            'unknown-marker',
            `marker="${config.marker}" is not in the file (markers: ${names}); playing the whole file.`,
          ),
        );
      }
    }
    const spec: PlaybackSpec = {
      frameRate: meta.frameRate,
      start,
      end,
      loop: (config.loop ?? this.loop) !== false,
      loops: typeof config.loop === 'number' ? config.loop : Infinity,
      intermission: config.intermission / 1000,
      speed: config.speed,
      direction: config.direction,
      mode: config.mode,
    };
    player.load.spec = spec;
    this.events.respecified(player);
    this.host.requestDraw();
  }
}
