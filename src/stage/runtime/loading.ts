import { frameCount, specDuration, type PlaybackSpec } from '../../clock/frame-map.js';
import { DEFAULT_MAX_BYTES, type AnimationCache } from '../../data/animation-cache.js';
import { LottieSyncError } from '../../errors.js';
import type { StageHost } from './stage-host.js';
import type { StagePlayer } from './stage-player.js';

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
    if (!config.src) {
      load.status = 'empty';
      this.host.checkReady();
      return;
    }
    load.status = 'loading';
    // A new src after a failure gets its canvas back.
    this.events.dropped(player);
    const lease = this.cache.acquire(config.src, this.maxBytes);
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
    load.status = 'ready';
    this.buildSpec(player, true);
    const spec = load.spec!;
    player.view.loaded(load.entry.meta, frameCount(spec), specDuration(spec));
    this.host.checkReady();
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
      loop: config.loop ?? this.loop,
      direction: config.direction,
      mode: config.mode,
    };
    player.load.spec = spec;
    this.events.respecified(player);
    this.host.requestDraw();
  }
}
