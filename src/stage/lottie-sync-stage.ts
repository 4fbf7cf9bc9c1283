import { html, nothing, css, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LottieSyncElement } from '../element/lottie-sync-element.js';
import { ReducedMotionController } from '../element/reduced-motion.js';
import { LottieSyncError } from '../errors.js';
import { LottieSyncMetricsEvent } from '../events.js';
import { DEFAULT_MAX_BYTES } from '../data/animation-cache.js';
import type { StageMetrics, TierSource } from '../metrics.js';
import { RegistrarController } from '../registration/registrar.js';
import { DEFAULT_FRAME_MEMORY } from '../render/frame-renderer.js';
import { STAGE_CHECKS, parseAssetOrigins, parseExpressionMode, parseFps, parseRenderMode, ratePolicyOf } from './attributes.js';
import { formatMetrics } from './metrics-overlay.js';
import { defaultWorkerCount } from './runtime/backends.js';
import { DEFAULT_LIMITS } from './runtime/loading.js';
import { StageRuntime } from './runtime/stage-runtime.js';
import { SyncController } from './sync-controller.js';

const MEGABYTE = 1024 * 1024;
const SYNC_PROPERTIES = ['syncChannel', 'syncUrl', 'syncRoom', 'syncRole', 'syncToken'] as const;

/**
 * Plays every `<lottie-sync-player>` inside it from one clock: one timeline
 * vector and one requestAnimationFrame tick that computes and draws every
 * player's frame from the same timestamp. Players of the same file show the
 * same frame on every tick; players of different files are aligned by time.
 *
 * @tagname lottie-sync-stage
 * @summary The clock, canvas pool and animation data for a set of synced players.
 *
 * @slot - Players and groups, anywhere below (wrappers and shadow roots are fine), and any other content.
 *
 * @fires {LottieSyncReadyEvent} lottie-sync-ready - Every registered player has drawn its first frame or failed. Fires again each time newly added players have all settled.
 * @fires {LottieSyncTimelineEvent} lottie-sync-play - The timeline started playing.
 * @fires {LottieSyncTimelineEvent} lottie-sync-pause - The timeline paused.
 * @fires {LottieSyncTimelineEvent} lottie-sync-seek - The timeline moved to a new position.
 * @fires {LottieSyncTimelineEvent} lottie-sync-ratechange - The playback rate changed.
 * @fires {LottieSyncTimelineEvent} lottie-sync-complete - Without loop, the longest player reached its end; the stage pauses there.
 * @fires {LottieSyncErrorEvent} lottie-sync-error - A stage attribute had a bad value (players' errors bubble through too).
 * @fires {LottieSyncTierEvent} lottie-sync-tierchange - The draw rate changed (`fps`, `source`, `previousFps`).
 * @fires {LottieSyncQualityEvent} lottie-sync-qualitychange - With `fps="auto"`: under sustained overload at the lowest rate the pixel ratio steps down (0.75x, 0.5x), and back up when load falls (`pixelRatio`, `previousPixelRatio`).
 * @fires {LottieSyncMetricsEvent} lottie-sync-metrics - About once a second while the stage has players: `metrics`.
 *
 * @csspart metrics - The overlay shown with `show-metrics`.
 */
export class LottieSyncStage extends LottieSyncElement {
  static override styles = css`
    :host {
      display: block;
    }
    :host([hidden]) {
      display: none;
    }
    :host([show-metrics]) {
      position: relative;
    }
    [part='metrics'] {
      position: absolute;
      top: 4px;
      right: 4px;
      z-index: 1;
      margin: 0;
      padding: 0.4em 0.6em;
      border-radius: 4px;
      font:
        11px/1.35 ui-monospace,
        monospace;
      white-space: pre;
      color: #fff;
      background: rgb(0 0 0 / 0.75);
      pointer-events: none;
    }
  `;

  /** Start playing as soon as the first players are ready. */
  @property({ type: Boolean, reflect: true }) autoplay = false;

  /** Loop every player that does not set `loop` itself. Without it the stage stops when its longest player ends. */
  @property({ type: Boolean, reflect: true }) loop = false;

  /** Playback rate: 1 is normal, 2 twice as fast, -1 backwards. Also `playbackRate`. */
  @property({ type: Number, reflect: true }) speed = 1;

  /** Largest animation file accepted, in bytes; larger files fail with `too-large` (the download stops there). */
  @property({ type: Number, attribute: 'max-bytes' }) maxBytes = DEFAULT_MAX_BYTES;

  /** Most layers a file may build (each precomp counted once per use); larger files fail with `too-complex` before lottie-web builds them. */
  @property({ type: Number, attribute: 'max-layers' }) maxLayers = DEFAULT_LIMITS.layers;

  /**
   * Origins besides a file's own that its image assets may load from, separated by spaces
   * (`https://cdn.example`), or `*` for any. Images elsewhere are not requested (`asset-blocked`).
   */
  @property({ attribute: 'asset-origins' }) assetOrigins: string | null = null;

  /**
   * Where a file's expressions (code inside the file) may run: `sandbox` (the default) in a
   * sandboxed, opaque-origin frame that can reach neither the page nor the network; `off`
   * nowhere (files are drawn without them); `page` on the page itself, for pages that trust every
   * file they show. A file drawn without its expressions fires `expressions-disabled`.
   */
  @property() expressions: string | null = null;

  /** Most shape items a file may build, counted the same way; larger files fail with `too-complex`. */
  @property({ type: Number, attribute: 'max-shapes' }) maxShapes = DEFAULT_LIMITS.shapes;

  /**
   * Draw rate by player count: pairs of "up to N players:fps", ending with
   * "*:fps". Default "5:60 15:30 25:15 *:10". Time always flows at the true
   * rate; a lower rate shows fewer frames, never a slower animation.
   */
  @property() tiers: string | null = null;

  /** A fixed draw rate (such as 30) that overrides `tiers`, or "auto": the highest rate whose measured draw time fits the frame budget. */
  @property({ converter: { fromAttribute: parseFps } }) fps: number | 'auto' | null = null;

  /**
   * Keep this stage's timeline in step with every stage on the same channel name in other tabs
   * and frames of this origin (BroadcastChannel; no server). Play, pause, seek and rate changes
   * anywhere reach all of them; a stage that joins late takes the current state before it plays.
   */
  @property({ attribute: 'sync-channel', reflect: true }) syncChannel: string | null = null;

  /**
   * Relay URLs (`wss://...`, several separated by spaces): keep this stage's timeline in step with
   * every stage in `sync-room` on any machine, through the lottie-sync relay. On loss of a relay the
   * stage moves to the next URL with backoff, playing on from the last state meanwhile.
   */
  @property({ attribute: 'sync-url' }) syncUrl: string | null = null;

  /** The relay room to join (default "default"). */
  @property({ attribute: 'sync-room' }) syncRoom: string | null = null;

  /** `leader` (may control the room; the default) or `follower` (only follows; its own controls are refused and undone). */
  @property({ attribute: 'sync-role' }) syncRole: 'leader' | 'follower' | null = null;

  /** The control token a leader presents when the relay requires one. */
  @property({ attribute: 'sync-token' }) syncToken: string | null = null;

  /** Send this stage's players, tick rate, spread and clock offset to the relay every 5 s, for its per-room metrics. */
  @property({ type: Boolean, attribute: 'sync-report' }) syncReport = false;

  /** Show the metrics overlay. */
  @property({ type: Boolean, reflect: true, attribute: 'show-metrics' }) showMetrics = false;

  /** Animate even when the user asks for reduced motion (`prefers-reduced-motion: reduce`); without it, the stage does not autoplay then and shows a still frame. */
  @property({ type: Boolean, attribute: 'ignore-reduced-motion' }) ignoreReducedMotion = false;

  /**
   * Where players are drawn: `auto` (the default) in render workers into
   * transferred canvases where the browser can (Worker and OffscreenCanvas),
   * else on the main thread; `main` always on the main thread.
   */
  @property({ attribute: 'render' }) renderMode: string | null = null;

  /** Most render workers (shards) the stage runs; default: the cores less one (at least 1). */
  @property({ type: Number }) workers: number | null = null;

  /** Most players one worker takes before the stage starts another (default: no limit; workers are added when one is over budget). */
  @property({ type: Number, attribute: 'shard-size' }) shardSize: number | null = null;

  /**
   * A same-origin URL of the classic worker script (`dist/cdn/lottie-sync-worker.js`
   * in the package), for pages whose Content-Security-Policy forbids blob workers.
   */
  @property({ attribute: 'worker-url' }) workerUrl: string | null = null;

  /** Megabytes of drawn frames each thread keeps for reuse (a looping file then costs one lottie-web draw per frame); 0 turns it off. Default 48. */
  @property({ type: Number, attribute: 'frame-memory' }) frameMemory: number | null = null;

  @state() private overlay = '';

  private readonly runtime = new StageRuntime({ host: this });
  private readonly syncing = new SyncController(this, this.runtime, {
    rateChanged: (rate) => (this.speed = rate),
    syncError: (code, message) => this.report(new LottieSyncError(code, message)),
  });
  private readonly motion = new ReducedMotionController(this, () => {
    this.applyAutoplay();
    if (this.motionReduced) this.runtime.playback.pause();
  });
  private metricsTimer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    new RegistrarController(this, {
      player: (view) => this.runtime.register(view, this),
      group: ({ name }) => this.runtime.registerGroup(name, this),
    });
  }

  override connectedCallback(): void {
    this.runtime.resume();
    super.connectedCallback();
    this.metricsTimer = setInterval(() => this.reportMetrics(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.runtime.suspend();
    if (this.metricsTimer !== null) clearInterval(this.metricsTimer);
    this.metricsTimer = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const { runtime } = this;
    if (changed.has('speed') && !STAGE_CHECKS.speed.ok(this.speed)) this.speed = this.reject('speed', 1);
    if (changed.has('maxBytes') && !STAGE_CHECKS.maxBytes.ok(this.maxBytes)) this.maxBytes = this.reject('maxBytes', DEFAULT_MAX_BYTES);
    if (changed.has('maxLayers') && !STAGE_CHECKS.maxLayers.ok(this.maxLayers))
      this.maxLayers = this.reject('maxLayers', DEFAULT_LIMITS.layers);
    if (changed.has('maxShapes') && !STAGE_CHECKS.maxShapes.ok(this.maxShapes))
      this.maxShapes = this.reject('maxShapes', DEFAULT_LIMITS.shapes);
    if (changed.has('tiers') || changed.has('fps')) {
      const { policy, rejected } = ratePolicyOf(this.tiers, this.fps);
      for (const { name, accepted, fallback } of rejected) this.rejectAttribute(name, accepted, fallback);
      if (rejected.some((rejection) => rejection.name === 'fps')) this.fps = null;
      runtime.setRatePolicy(policy);
    }
    this.applyWorkerSettings(changed);
    if (SYNC_PROPERTIES.some((key) => changed.has(key))) {
      this.syncing.join({
        channel: this.syncChannel,
        urls: this.syncUrl,
        room: this.syncRoom,
        role: this.syncRole,
        token: this.syncToken,
      });
    }
    this.syncing.reports = this.syncReport;
    this.applyAutoplay();
    runtime.loading.maxBytes = this.maxBytes;
    runtime.loading.limits = { layers: this.maxLayers, shapes: this.maxShapes };
    if (changed.has('expressions')) {
      const mode = parseExpressionMode(this.expressions);
      if (mode === null) {
        this.rejectAttribute('expressions', '"sandbox", "off" or "page"', 'sandbox');
        this.expressions = null;
      }
      runtime.backends.expressions.mode = mode ?? 'sandbox';
    }
    if (changed.has('assetOrigins')) {
      const { origins, rejected } = parseAssetOrigins(this.assetOrigins);
      for (const entry of rejected)
        this.rejectAttribute('asset-origins', `origins such as https://cdn.example, or * (not "${entry}")`, 'the others');
      runtime.loading.assetOrigins = origins;
    }
    if (changed.has('speed')) runtime.playback.setPlaybackRate(this.speed);
    if (changed.has('loop')) runtime.loop = this.loop;
  }

  /** Rejects a checked attribute's value (see `STAGE_CHECKS`) and returns the default to use. */
  private reject<T>(key: keyof typeof STAGE_CHECKS, fallback: T, described: unknown = fallback): T {
    const check = STAGE_CHECKS[key];
    this.rejectAttribute('attribute' in check ? check.attribute : key, check.accepted, described);
    return fallback;
  }

  private get motionReduced(): boolean {
    return this.motion.reduced && !this.ignoreReducedMotion;
  }

  private applyAutoplay(): void {
    this.runtime.playback.autoplay = this.autoplay && !this.motionReduced;
  }

  private applyWorkerSettings(changed: PropertyValues<this>): void {
    const { backends } = this.runtime;
    if (changed.has('workers')) {
      if (!STAGE_CHECKS.workers.ok(this.workers)) this.workers = this.reject('workers', null, 'the default');
      backends.maxWorkers = this.workers ?? defaultWorkerCount();
    }
    if (changed.has('shardSize')) {
      if (!STAGE_CHECKS.shardSize.ok(this.shardSize)) this.shardSize = this.reject('shardSize', null, 'no limit');
      backends.shardSize = this.shardSize ?? Infinity;
    }
    if (changed.has('frameMemory')) {
      if (!STAGE_CHECKS.frameMemory.ok(this.frameMemory))
        this.frameMemory = this.reject('frameMemory', null, DEFAULT_FRAME_MEMORY / MEGABYTE);
      backends.frameMemoryBytes = this.frameMemory === null ? DEFAULT_FRAME_MEMORY : this.frameMemory * MEGABYTE;
    }
    if (changed.has('workerUrl')) backends.workerUrl = this.workerUrl || null;
    if (changed.has('renderMode')) {
      const mode = parseRenderMode(this.renderMode);
      if (mode === null) {
        this.rejectAttribute('render', '"auto" or "main"', 'auto');
        this.renderMode = null;
      }
      this.runtime.setRenderMode(mode ?? 'auto');
    }
  }

  private reportMetrics(): void {
    if (this.runtime.size === 0) return;
    const metrics = this.metrics;
    this.syncing.metricsTick(metrics);
    if (this.showMetrics) this.overlay = formatMetrics(metrics);
    this.dispatchEvent(new LottieSyncMetricsEvent(metrics));
  }

  protected override render() {
    return html`<slot></slot
      >${this.showMetrics ? html`<pre part="metrics" aria-hidden="true">${this.overlay || 'metrics...'}</pre>` : nothing}`;
  }

  /** Plays the timeline from where it is (from the start if it had ended). */
  play(): void {
    this.runtime.playback.play();
  }

  /** Pauses the timeline; every player holds its frame. */
  pause(): void {
    this.runtime.playback.pause();
  }

  /** Pauses and goes back to the start. */
  stop(): void {
    this.runtime.playback.pause();
    this.runtime.playback.seek(0);
  }

  /** Moves the timeline to `seconds`; players keep playing from there if the stage is playing. */
  seek(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError(`seek() takes a finite number of seconds, not ${seconds}.`);
    this.runtime.playback.seek(seconds);
  }

  /**
   * Moves the timeline to where `player` (default: the first loaded player)
   * shows `frame`, counted from the start of what it plays.
   */
  seekToFrame(frame: number, player?: Element): void {
    const seconds = this.runtime.timeOfFrame(frame, player);
    if (seconds === null) throw new Error('seekToFrame() needs a loaded player.');
    this.seek(seconds);
  }

  /** Moves the timeline to `progress` (0 to 1) of `duration`. */
  seekToProgress(progress: number): void {
    this.seek(progress * this.duration);
  }

  /** True while the timeline stands still. */
  get paused(): boolean {
    return this.runtime.playback.paused;
  }

  /** The timeline position in seconds; setting it seeks. It keeps growing while looping. */
  get currentTime(): number {
    return this.runtime.playback.currentTime;
  }

  set currentTime(seconds: number) {
    this.seek(seconds);
  }

  /** Seconds of the longest single pass of any loaded player. */
  get duration(): number {
    return this.runtime.playback.duration;
  }

  /** Same as `speed`. */
  get playbackRate(): number {
    return this.speed;
  }

  set playbackRate(rate: number) {
    this.speed = rate;
  }

  /** The draw rate in force (`fps`) and where it comes from (`source`: table, fixed or adaptive). */
  get tier(): { readonly fps: number; readonly source: TierSource } {
    return this.runtime.tier;
  }

  /** Ticks and frames per second, draw time, tier, spread, players, canvases and heap, as of now. */
  get metrics(): StageMetrics {
    return this.syncing.withClock(this.runtime.metrics);
  }

  /** Players registered with this stage. */
  get playerCount(): number {
    return this.runtime.size;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lottie-sync-stage': LottieSyncStage;
  }
}
