import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DEFAULT_TIERS, formatTiers, parseTiers, type Tier } from '../clock/tiers.js';
import { DEFAULT_MAX_BYTES } from '../data/animation-cache.js';
import { VERSION, describeElement } from '../define-element.js';
import { LottieSyncErrorEvent, LottieSyncMetricsEvent } from '../events.js';
import type { StageMetrics, TierSource } from './metrics.js';
import { LottieSyncGroupRegisterEvent, LottieSyncRegisterEvent } from './registration.js';
import { DEFAULT_FRAME_MEMORY } from '../render/frame-renderer.js';
import { StageRuntime, defaultWorkerCount } from './stage-runtime.js';
import { BroadcastTransport } from '../sync/transport.js';
import { TimelineSync, type TimelineState } from '../sync/timeline-sync.js';
import { RelayTransport } from '../sync/websocket-transport.js';
import { PROTOCOL_VERSION } from '../sync/messages.js';

const PLAYER_TAG = 'lottie-sync-player';
const GROUP_TAG = 'lottie-sync-group';

function parseFps(value: string | null): number | 'auto' | null {
  if (value === null) return null;
  return value.trim().toLowerCase() === 'auto' ? 'auto' : Number(value);
}

const MEGABYTE = 1024 * 1024;

function formatMetrics(m: StageMetrics): string {
  const heap = m.heapBytes === null ? '' : `\nheap      ${(m.heapBytes / MEGABYTE).toFixed(1)} MB`;
  return (
    `tier      ${m.tierFps} fps (${m.tierSource}), ${m.pixelRatio}x pixels\n` +
    `ticks/s   ${m.ticksPerSecond}\n` +
    `frames/s  ${m.framesDrawnPerSecond} (${m.rendersPerSecond} rendered)\n` +
    `draw      ${m.drawTimeP50.toFixed(1)} / ${m.drawTimeP95.toFixed(1)} ms (p50/p95)\n` +
    (m.workers > 0 ? `workers   ${m.workers}, ${m.workerDrawTimeP95.toFixed(1)} ms a tick (p95)\n` : `workers   none (main thread)\n`) +
    `spread    ${m.spread} frames\n` +
    `players   ${m.playersDrawing} drawing, ${m.playersVisible} visible / ${m.playersTotal}\n` +
    `canvases  ${m.canvasesLeased} + ${m.canvasesIdle} idle, ${m.renderers} lottie-web` +
    heap +
    (m.clockOffsetMs === undefined
      ? ''
      : `\nclock     ${m.clockOffsetMs.toFixed(1)} ms offset, ${m.roundTripMs?.toFixed(1) ?? '?'} ms round trip`)
  );
}

/** Players and groups below `root`, looking through open shadow roots. */
function* membersBelow(root: ParentNode): Generator<Element> {
  for (const element of root.querySelectorAll('*')) {
    if (element.localName === PLAYER_TAG || element.localName === GROUP_TAG) yield element;
    if (element.shadowRoot) yield* membersBelow(element.shadowRoot);
  }
}

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
export class LottieSyncStage extends LitElement {
  static readonly version: string = VERSION;

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

  /** Largest animation file accepted, in bytes; larger files fail with `too-large`. */
  @property({ type: Number, attribute: 'max-bytes' }) maxBytes = DEFAULT_MAX_BYTES;

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
  private metricsTimer: ReturnType<typeof setInterval> | null = null;
  private sync: TimelineSync | null = null;
  private relay: RelayTransport | null = null;
  private reportsDue = 0;
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  private readonly onMotionChange = () => {
    this.applyAutoplay();
    if (this.motionReduced) this.runtime.pause();
  };

  constructor() {
    super();
    this.addEventListener(LottieSyncRegisterEvent.type, (event) => {
      event.stopPropagation();
      event.accept(this.runtime.register(event.view, this));
    });
    this.addEventListener(LottieSyncGroupRegisterEvent.type, (event) => {
      event.stopPropagation();
      event.accept(this.runtime.registerGroup(event.name));
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.runtime.resume();
    this.reducedMotion.addEventListener('change', this.onMotionChange);
    if (this.hasUpdated) this.joinChannel();
    this.metricsTimer = setInterval(() => this.reportMetrics(), 1000);
    // Players upgraded before this stage was defined, or playing on their own
    // clock, join now; the order in which the elements are defined does not matter.
    for (const element of membersBelow(this)) {
      (element as Partial<{ relink(): void }>).relink?.();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.runtime.suspend();
    this.reducedMotion.removeEventListener('change', this.onMotionChange);
    this.leaveChannel();
    if (this.metricsTimer !== null) clearInterval(this.metricsTimer);
    this.metricsTimer = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('speed') && !Number.isFinite(this.speed)) {
      this.rejectAttribute('speed', 'a finite number such as 1, 0.5 or -1', 1);
      this.speed = 1;
    }
    if (changed.has('maxBytes') && !(this.maxBytes > 0)) {
      this.rejectAttribute('max-bytes', 'a positive number of bytes', DEFAULT_MAX_BYTES);
      this.maxBytes = DEFAULT_MAX_BYTES;
    }
    if (changed.has('tiers') || changed.has('fps')) this.applyRatePolicy();
    this.applyWorkerSettings(changed);
    if (['syncChannel', 'syncUrl', 'syncRoom', 'syncRole', 'syncToken'].some((key) => changed.has(key as keyof LottieSyncStage)))
      this.joinChannel();
    this.applyAutoplay();
    this.runtime.maxBytes = this.maxBytes;
    if (changed.has('speed')) this.runtime.setPlaybackRate(this.speed);
    if (changed.has('loop')) {
      this.runtime.loop = this.loop;
      this.runtime.redrawAll();
    }
  }

  /** Joins the sync room the attributes name: a relay (`sync-url`) or a BroadcastChannel (`sync-channel`). */
  private joinChannel(): void {
    this.leaveChannel();
    const urls = (this.syncUrl ?? '').split(/\s+/).filter(Boolean);
    if (urls.length === 0 && (!this.syncChannel || typeof BroadcastChannel !== 'function')) return;
    const runtime = this.runtime;
    const target = {
      snapshot: () => runtime.snapshot(),
      apply: (state: TimelineState) => {
        runtime.applyRemote(state);
        this.speed = runtime.playbackRate;
      },
    };
    let sync: TimelineSync;
    if (urls.length > 0) {
      const sender = Math.random().toString(36).slice(2, 12);
      const relay = new RelayTransport({
        urls,
        room: this.syncRoom || 'default',
        role: this.syncRole === 'follower' ? 'follower' : 'leader',
        token: this.syncToken ?? undefined,
        sender,
        onError: (code, message) => {
          this.syncError(code === 'relay-unreachable' ? 'relay-unreachable' : 'sync-refused', `${code}: ${message}`);
          if (code === 'forbidden') sync.resync();
        },
      });
      this.relay = relay;
      // The timeline runs on the relay's clock, as estimated: corrections are slewed continuously.
      runtime.clockShift = () => relay.offsetNow();
      sync = new TimelineSync(relay, target, { sender, ordered: true });
    } else {
      sync = new TimelineSync(new BroadcastTransport(this.syncChannel!), target);
    }
    runtime.onLocalChange = () => sync.publish();
    this.sync = sync;
  }

  private syncError(code: 'sync-refused' | 'relay-unreachable', message: string): void {
    console.warn(`${describeElement(this)}: ${message}`);
    const event = new LottieSyncErrorEvent(code, message, null, false);
    this.dispatchEvent(event);
  }

  private leaveChannel(): void {
    this.sync?.close();
    this.sync = null;
    this.relay = null;
    this.runtime.clockShift = () => 0;
    this.runtime.onLocalChange = null;
  }

  private get motionReduced(): boolean {
    return this.reducedMotion.matches && !this.ignoreReducedMotion;
  }

  private applyAutoplay(): void {
    this.runtime.autoplay = this.autoplay && !this.motionReduced;
  }

  private applyRatePolicy(): void {
    let tiers: readonly Tier[] = DEFAULT_TIERS;
    if (this.tiers !== null) {
      try {
        tiers = parseTiers(this.tiers);
      } catch (error) {
        this.rejectAttribute(
          'tiers',
          `pairs of "players:fps" ending with "*:fps" (${(error as Error).message})`,
          formatTiers(DEFAULT_TIERS),
        );
      }
    }
    const fps = this.fps;
    if (fps === 'auto') this.runtime.setRatePolicy({ kind: 'adaptive' });
    else if (fps !== null && !(fps > 0 && fps <= 240)) {
      this.rejectAttribute('fps', 'a number of draws per second from 1 to 240, or "auto"', 'the tiers');
      this.fps = null;
      this.runtime.setRatePolicy({ kind: 'table', tiers });
    } else if (fps !== null) this.runtime.setRatePolicy({ kind: 'fixed', fps });
    else this.runtime.setRatePolicy({ kind: 'table', tiers });
  }

  private applyWorkerSettings(changed: PropertyValues<this>): void {
    const runtime = this.runtime;
    if (changed.has('workers')) {
      const workers = this.workers;
      if (workers !== null && !(Number.isInteger(workers) && workers >= 1)) {
        this.rejectAttribute('workers', 'a whole number of workers, 1 or more', 'the default');
        this.workers = null;
      }
      runtime.maxWorkers = this.workers ?? defaultWorkerCount();
    }
    if (changed.has('shardSize')) {
      const size = this.shardSize;
      if (size !== null && !(Number.isInteger(size) && size >= 1)) {
        this.rejectAttribute('shard-size', 'a whole number of players, 1 or more', 'no limit');
        this.shardSize = null;
      }
      runtime.shardSize = this.shardSize ?? Infinity;
    }
    if (changed.has('frameMemory')) {
      const megabytes = this.frameMemory;
      if (megabytes !== null && !(megabytes >= 0)) {
        this.rejectAttribute('frame-memory', 'megabytes, 0 or more', DEFAULT_FRAME_MEMORY / MEGABYTE);
        this.frameMemory = null;
      }
      runtime.frameMemoryBytes = this.frameMemory === null ? DEFAULT_FRAME_MEMORY : this.frameMemory * MEGABYTE;
    }
    if (changed.has('workerUrl')) runtime.workerUrl = this.workerUrl || null;
    if (changed.has('renderMode')) {
      const mode = this.renderMode ?? 'auto';
      if (mode !== 'auto' && mode !== 'main') {
        this.rejectAttribute('render', '"auto" or "main"', 'auto');
        this.renderMode = null;
      }
      runtime.setRenderMode(this.renderMode === 'main' ? 'main' : 'auto');
    }
  }

  private reportMetrics(): void {
    if (this.runtime.size === 0) return;
    const metrics = this.metrics;
    this.reportsDue = (this.reportsDue + 1) % 5;
    if (this.syncReport && this.relay?.connected && this.reportsDue === 0) {
      this.relay.send({
        v: PROTOCOL_VERSION,
        type: 'report',
        sender: this.sync!.sender,
        players: metrics.playersTotal,
        ticksPerSecond: metrics.ticksPerSecond,
        spread: metrics.spread,
        clockOffsetMs: metrics.clockOffsetMs ?? 0,
      });
    }
    if (this.showMetrics) this.overlay = formatMetrics(metrics);
    this.dispatchEvent(new LottieSyncMetricsEvent(metrics));
  }

  private rejectAttribute(name: string, accepted: string, fallback: unknown): void {
    const raw = this.getAttribute(name);
    const message = `${name}="${raw}" is not valid: use ${accepted}. Using ${String(fallback)}.`;
    console.warn(`${describeElement(this)}: ${message}`);
    const event = new LottieSyncErrorEvent('invalid-attribute', message, null, false);
    this.dispatchEvent(event);
  }

  protected override render() {
    return html`<slot></slot
      >${this.showMetrics ? html`<pre part="metrics" aria-hidden="true">${this.overlay || 'metrics...'}</pre>` : nothing}`;
  }

  /** Plays the timeline from where it is (from the start if it had ended). */
  play(): void {
    this.runtime.play();
  }

  /** Pauses the timeline; every player holds its frame. */
  pause(): void {
    this.runtime.pause();
  }

  /** Pauses and goes back to the start. */
  stop(): void {
    this.runtime.pause();
    this.runtime.seek(0);
  }

  /** Moves the timeline to `seconds`; players keep playing from there if the stage is playing. */
  seek(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError(`seek() takes a finite number of seconds, not ${seconds}.`);
    this.runtime.seek(seconds);
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
    return this.runtime.paused;
  }

  /** The timeline position in seconds; setting it seeks. It keeps growing while looping. */
  get currentTime(): number {
    return this.runtime.currentTime;
  }

  set currentTime(seconds: number) {
    this.seek(seconds);
  }

  /** Seconds of the longest single pass of any loaded player. */
  get duration(): number {
    return this.runtime.duration;
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
    const metrics = this.runtime.metrics;
    if (!this.relay) return metrics;
    return {
      ...metrics,
      clockOffsetMs: this.relay.offsetNow(),
      roundTripMs: this.relay.clock.roundTrip,
      clockSamples: this.relay.clock.sampleCount,
    };
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
