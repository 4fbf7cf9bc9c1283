import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LottieSyncElement } from '../element/lottie-sync-element.js';
import { ReducedMotionController } from '../element/reduced-motion.js';
import { ControlBarController } from '../element/control-bar.js';
import { LottieSyncError } from '../errors.js';
import { LottieSyncMetricsEvent } from '../events.js';
import type { StageMetrics, TierSource } from '../metrics.js';
import { RegistrarController } from '../registration/registrar.js';
import { DEFAULT_MAX_BYTES } from '../data/animation-cache.js';
import { parseFps } from './attributes.js';
import { DEFAULT_LIMITS } from './runtime/loading.js';
import { applySettings, type ChangedSettings } from './stage-settings.js';
import { stageStyles } from './stage-styles.js';
import type { RenderMode } from './runtime/backends.js';
import type { ExpressionMode } from './runtime/expressions.js';
import { StageRuntime } from './runtime/stage-runtime.js';
import { SyncController } from './sync-controller.js';

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
 * @csspart surface - The canvas under the players (`render="auto"`, the default, and `"surface"`; one render worker draws every player into it; it covers the part of the stage in and near the viewport where players are, and a second one, hidden, takes over when the page scrolls elsewhere).
 * @csspart metrics - The overlay shown with `show-metrics`.
 * @csspart controls - The control bar shown with `controls`.
 * @csspart control - Each control of the bar.
 * @csspart play-button - The play/pause button.
 * @csspart scrubber - The position slider.
 * @csspart time - The time shown.
 * @csspart loop-button - The loop toggle.
 * @csspart controls-note - Why the controls are disabled (a relay follower).
 *
 * @cssprop --lottie-sync-controls-background - Background of the control bar.
 * @cssprop --lottie-sync-controls-color - Text and icon colour of the control bar.
 * @cssprop --lottie-sync-controls-accent - Focus ring, slider and pressed-button colour.
 */
export class LottieSyncStage extends LottieSyncElement {
  static override styles = stageStyles;

  /** Start playing as soon as the first players are ready. */
  @property({ type: Boolean, reflect: true }) autoplay = false;

  /** Loop every player that does not set `loop` itself. Without it the stage stops when its longest player ends. */
  @property({ type: Boolean, reflect: true }) loop = false;

  /** Playback rate: 1 is normal, 2 twice as fast, -1 backwards. Also `playbackRate`. */
  @property({ type: Number, reflect: true }) speed = 1;

  /** Largest animation file accepted, in bytes; larger files fail with `too-large` (the download stops there). */
  @property({ type: Number, attribute: 'max-bytes' }) maxBytes: number = DEFAULT_MAX_BYTES;

  /** Most layers a file may build (each precomp counted once per use); larger files fail with `too-complex` before lottie-web builds them. */
  @property({ type: Number, attribute: 'max-layers' }) maxLayers: number = DEFAULT_LIMITS.layers;

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
  @property() expressions: ExpressionMode | null = null;

  /** Most shape items a file may build, counted the same way; larger files fail with `too-complex`. */
  @property({ type: Number, attribute: 'max-shapes' }) maxShapes: number = DEFAULT_LIMITS.shapes;

  /**
   * Draw rate by player count instead of the adaptive default: pairs of "up
   * to N players:fps", ending with "*:fps"; empty for the design's table
   * "5:60 15:30 25:15 *:10". Time always flows at the true rate; a lower rate
   * shows fewer frames, never a slower animation.
   */
  @property() tiers: string | null = null;

  /**
   * A fixed draw rate (such as 30) that overrides `tiers`, or "auto": the
   * highest rate whose measured draw time fits the frame budget (the default
   * when `tiers` is not set either).
   */
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

  /**
   * In a sync room this stage's play, pause, seek and rate changes take effect
   * at once here (and a moment later elsewhere) instead of on the same frame
   * everywhere, a short moment after they are made (the default).
   */
  @property({ type: Boolean, attribute: 'sync-instant' }) syncInstant = false;

  /** Send this stage's players, tick rate, spread and clock offset to the relay every 5 s, for its per-room metrics. */
  @property({ type: Boolean, attribute: 'sync-report' }) syncReport = false;

  /** Show a control bar (play/pause, position, loop): keyboard-operable, and disabled with the reason on a relay follower. */
  @property({ type: Boolean, reflect: true }) controls = false;

  /** Show the metrics overlay. */
  @property({ type: Boolean, reflect: true, attribute: 'show-metrics' }) showMetrics = false;

  /** Animate even when the user asks for reduced motion (`prefers-reduced-motion: reduce`); without it, the stage does not autoplay then and shows a still frame. */
  @property({ type: Boolean, attribute: 'ignore-reduced-motion' }) ignoreReducedMotion = false;

  /**
   * Where players are drawn: `auto` (the default) in one render worker into
   * one canvas under the whole stage, each player at its place (the least CPU;
   * a player the surface cannot show, and every player when the stage cannot
   * hold a surface, gets a canvas of its own in the workers; see the README);
   * `surface` the same, with an `invalid-attribute` error when the stage
   * cannot hold one; `workers` in render workers into each player's canvas;
   * `main` always on the main thread. Without Worker and OffscreenCanvas,
   * everything is drawn on the main thread.
   */
  @property({ attribute: 'render', reflect: true }) renderMode: RenderMode | null = null;

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
  private overlayModule: Promise<(metrics: StageMetrics) => string> | null = null;

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

  private readonly controlBar = new ControlBarController(
    this,
    () => {
      const { playback } = this.runtime;
      const following = this.syncRole === 'follower' && Boolean(this.syncUrl);
      return {
        get paused() {
          return playback.paused;
        },
        get currentTime() {
          return playback.currentTime;
        },
        duration: playback.duration,
        loop: this.loop,
        play: () => this.play(),
        pause: () => this.pause(),
        seek: (seconds) => this.seek(seconds),
        setLoop: (loop) => (this.loop = loop),
        disabledReason: following ? 'This stage follows its room: only the leader controls it.' : null,
        label: this.getAttribute('aria-label') || 'Animations',
      };
    },
    () => this.controls,
  );

  constructor() {
    super();
    this.runtime.backends.provideSurface(() => this.newSurface());
    new RegistrarController(this, {
      player: (view) => this.runtime.register(view, this),
      group: ({ name }) => this.runtime.registerGroup(name, this),
    });
  }

  /**
   * Two canvases under the players for the stage surface, in a frame over the
   * stage's padding box (new ones for each worker: a transferred canvas is its
   * worker's). One is shown while the other is laid out.
   */
  private newSurface(): readonly [HTMLCanvasElement, HTMLCanvasElement] {
    const frame = document.createElement('div');
    frame.className = 'surface-frame';
    frame.setAttribute('aria-hidden', 'true');
    const canvas = () => {
      const element = document.createElement('canvas');
      element.setAttribute('part', 'surface');
      return frame.appendChild(element);
    };
    const surfaces = [canvas(), canvas()] as const;
    this.renderRoot.prepend(frame);
    return surfaces;
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

  /** The overlay's text is made by a module loaded once an overlay is asked for (most pages never show one). */
  private overlayText(): Promise<(metrics: StageMetrics) => string> {
    return (this.overlayModule ??= import('./metrics-overlay.js').then((module) => module.formatMetrics));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Loaded as soon as the overlay is asked for, so its first second shows the figures.
    if (changed.has('showMetrics') && this.showMetrics) void this.overlayText();
    applySettings(this, this.runtime, changed as ChangedSettings, (name, accepted, fallback) =>
      this.rejectAttribute(name, accepted, fallback),
    );
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
    this.syncing.instant = this.syncInstant;
    this.applyAutoplay();
  }

  private get motionReduced(): boolean {
    return this.motion.reduced && !this.ignoreReducedMotion;
  }

  private applyAutoplay(): void {
    this.runtime.playback.autoplay = this.autoplay && !this.motionReduced;
  }

  private reportMetrics(): void {
    if (this.runtime.size === 0) return;
    const metrics = this.metrics;
    this.syncing.metricsTick(metrics);
    if (this.showMetrics) void this.overlayText().then((format) => (this.overlay = format(metrics)));
    this.dispatchEvent(new LottieSyncMetricsEvent(metrics));
  }

  protected override render() {
    return html`<slot></slot
      >${this.controlBar.render()}${this.showMetrics ? html`<pre part="metrics" aria-hidden="true">${this.overlay || 'metrics...'}</pre>` : nothing}`;
  }

  /** Plays the timeline from where it is (from the start if it had ended). */
  play(): void {
    this.runtime.playback.play();
    this.requestUpdate();
  }

  /** Pauses the timeline; every player holds its frame. */
  pause(): void {
    this.runtime.playback.pause();
    this.requestUpdate();
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
