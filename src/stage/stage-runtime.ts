import { specDuration, frameCount, type PlaybackSpec } from '../clock/frame-map.js';
import { DEFAULT_GROUP, LAZY_MAX_STEP_SECONDS, SyncGroup, stepLazy, type GroupSettings, type LazyState } from './group.js';
import { BudgetedQueue } from '../clock/budget.js';
import { FrameTicker } from '../clock/ticker.js';
import { ADAPTIVE_RATES, AdaptiveRate, DEFAULT_TIERS, tierFor, type Tier } from '../clock/tiers.js';
import {
  DEFAULT_MAX_BYTES,
  pageAnimationCache,
  type AnimationCache,
  type AnimationEntry,
  type AnimationLease,
} from '../data/animation-cache.js';
import { LottieSyncError } from '../errors.js';
import {
  LottieSyncErrorEvent,
  LottieSyncQualityEvent,
  LottieSyncReadyEvent,
  LottieSyncTierEvent,
  LottieSyncTimelineEvent,
  type TimelineEventType,
} from '../events.js';
import { DEFAULT_FRAME_MEMORY, RendererSet } from '../render/frame-renderer.js';
import type { DrawJob, FromWorker } from '../worker/protocol.js';
import { workersSupported } from '../worker/worker-source.js';
import { CanvasPool } from './canvas-pool.js';
import { WorkerShard, type DrawBackend, type PendingDraw } from './worker-shard.js';
import { Coordinator, type Track } from './coordinator.js';
import { DrawRecorder, circularSpread, quantile, type StageMetrics, type TierSource } from './metrics.js';
import type { TimelineState } from '../sync/timeline-sync.js';
import type { GroupRegistration, PlayerConfig, PlayerRegistration, PlayerView } from './registration.js';

/** How a stage chooses its draw rate: by player count, fixed, or from measured cost. */
export type RatePolicy =
  | { readonly kind: 'table'; readonly tiers: readonly Tier[] }
  | { readonly kind: 'fixed'; readonly fps: number }
  | { readonly kind: 'adaptive' };

/** A tick may come this much early and still count as due (vsync jitter). */
const FRAME_SLACK_MS = 4;
/**
 * Most canvases shown for the first time in one tick. A canvas's first frames
 * cost the browser far more than the copy itself (its layer and raster
 * resources are set up in the same frame, about 0.25 ms each in software), so
 * hundreds of new players appear over several frames instead of in one long task.
 */
const FIRST_DRAWS_PER_TICK = 16;
/** Players this far outside the viewport already get their canvas, so they are drawn before they scroll in. */
const VIEWPORT_MARGIN = '256px';
/** How often the adaptive mode looks at the measured draw cost. */
const ADAPT_EVERY_MS = 500;
/** A worker that spends more than this per tick (90th percentile) is overloaded: the stage adds a shard and splits it. */
const SHARD_BUDGET_MS = 12;
/** A worker that has not answered a tick for this long (while the page is visible) is taken for dead. */
const WORKER_TIMEOUT_MS = 4000;

/** Render workers a stage runs by default: the cores less one for the page, at least one. */
export function defaultWorkerCount(): number {
  return Math.max(1, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1);
}

/** Where a stage draws: `auto` in workers where the browser can, `main` always on the main thread. */
export type RenderMode = 'auto' | 'main';

/** The main thread as a place to draw: lottie-web renderers and canvases of this page. */
class MainThreadBackend implements DrawBackend {
  readonly pool = new CanvasPool();
  readonly renderers = new RendererSet();

  rendererKey(url: string, width: number, height: number): string {
    return RendererSet.keyOf(url, width, height);
  }

  acquireRenderer(entry: AnimationEntry, width: number, height: number): { key: string; ready: Promise<void> } {
    const key = this.rendererKey(entry.url, width, height);
    const renderer = this.renderers.acquire(key, width, height, () => ({
      url: entry.url,
      data: entry.takeData(),
      assetsPath: entry.assetsPath,
    }));
    return { key, ready: renderer.ready };
  }

  releaseRenderer(key: string): void {
    this.renderers.release(key);
  }
}

type MemberState = 'empty' | 'loading' | 'ready' | 'failed';

/** One registered player, as the runtime keeps it. */
class Member implements Track {
  spec: PlaybackSpec | null = null;
  /** Key of a renderer that is ready to draw for this member. */
  renderKey: string | null = null;
  /** Key of the renderer this member holds a reference on (ready or not). */
  heldKey: string | null = null;
  shownFrame = -1;
  /** Its canvas is new and has not been drawn on yet. */
  fresh = true;
  /** A frame is on its canvas (for a worker's canvas: the worker said so). */
  drawn = false;
  state: MemberState = 'empty';
  lease: AnimationLease | null = null;
  entry: AnimationEntry | null = null;
  canvas: HTMLCanvasElement | null = null;
  /** The 2D context of a main-thread canvas (null for a worker's). */
  context: CanvasRenderingContext2D | null = null;
  /** Where this member is drawn (the main thread, or a worker shard). */
  backend: DrawBackend;
  measured = false;
  /** The box in CSS pixels, from the ResizeObserver. */
  cssWidth = 0;
  cssHeight = 0;
  /** Within the stage's viewport margin (players off screen hold no canvas and draw nothing). */
  visible = false;
  /** The viewport observer has reported on this player. */
  placed = false;
  /** The player has said what it plays (its first update): until then it is pending. */
  configured = false;
  width = 0;
  height = 0;
  config: PlayerConfig = { src: null, loop: null, direction: 1, mode: 'normal', segment: null, marker: null, group: null, master: false };
  group: SyncGroup<Member> | null = null;
  /** A lazy follower's own position. */
  lazy: LazyState | null = null;

  constructor(
    readonly view: PlayerView,
    backend: DrawBackend,
  ) {
    this.backend = backend;
  }

  /** Still on its way to its first drawn frame. */
  get pending(): boolean {
    if (!this.configured || this.state === 'loading') return true;
    if (this.state !== 'ready') return false;
    return !this.measured || !this.placed || (this.visible && this.width > 0 && this.height > 0 && !this.drawn);
  }
}

export interface StageRuntimeOptions {
  /** Element the stage's events are dispatched on; null for a player's private clock. */
  readonly host: HTMLElement | null;
  readonly cache?: AnimationCache;
}

/**
 * Everything a stage owns: the coordinator and its clock, the players'
 * registrations, the canvas pool, the shared renderers and one ResizeObserver.
 * The `<lottie-sync-stage>` element wraps one; a player with no stage makes a
 * private one.
 */
export class StageRuntime {
  readonly coordinator = new Coordinator(performance.now());
  private readonly main = new MainThreadBackend();
  /** Render workers, one per shard; started when a player first needs one. */
  private readonly shards: WorkerShard<Member>[] = [];
  private workersStarted = 0;
  /** A worker failed: this stage draws on the main thread from then on. */
  private workersBroken = false;
  /** `render`: draw in workers (where supported) or on the main thread. */
  renderMode: RenderMode = 'auto';
  /** Most workers (shards) to run. */
  private workerLimit = defaultWorkerCount();
  /** Most players one worker takes before another is started (small values force shards, for tests). */
  shardSize = Infinity;
  /** A same-origin URL of the classic worker script, instead of the built-in one. */
  workerUrl: string | null = null;
  private frameMemory = DEFAULT_FRAME_MEMORY;
  private stopTimer: ReturnType<typeof setTimeout> | null = null;
  /** Files a worker could not build: drawn on the main thread from then on. */
  private readonly mainThreadOnly = new Set<string>();
  /** When the last shard split happened (a split is judged by fresh timings only). */
  private lastSplitAt = -Infinity;
  /** The previous tick's time: a long gap (a frozen page) is not a worker that stopped answering. */
  private lastTickAt = 0;
  /** Frames since the last adaptive check on which a due tick waited for a worker's answer. */
  private heldBack = 0;
  /** Default `loop` for players that do not set their own. */
  loop = false;
  /** Start playing when the first players are ready. */
  autoplay = false;
  maxBytes = DEFAULT_MAX_BYTES;
  /** Largest device pixel ratio canvases are drawn at. */
  maxPixelRatio = 2;

  private readonly members = new Set<Member>();
  private readonly groups = new Map<string, SyncGroup<Member>>();
  /** Groups that a group element configures (others exist only through players' `group` attributes). */
  private readonly groupElements = new Map<string, number>();
  private readonly byElement = new Map<Element, Member>();
  private readonly handles = new Map<Member, PlayerRegistration>();
  private readonly ticker = new FrameTicker((now) => this.tick(now));
  private readonly resizeObserver = new ResizeObserver((entries) => this.onResize(entries));
  /** One per stage: off-screen players give their canvas back and draw nothing, but keep their place on the timeline. */
  private readonly viewport =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => this.onViewport(entries), { rootMargin: VIEWPORT_MARGIN })
      : null;
  private readonly cache: AnimationCache;
  private readonly host: HTMLElement | null;
  private readyAnnounced = false;
  private controlled = false;
  private suspended = false;
  private policy: RatePolicy = { kind: 'table', tiers: DEFAULT_TIERS };
  private adaptive = new AdaptiveRate();
  private fps = 0;
  private lastDrawAt = -Infinity;
  private lastAdaptAt = 0;
  /** Something changed that must be drawn on the next tick, whatever the tier. */
  private dirty = true;
  private readonly recorder = new DrawRecorder();
  /** Below 1 when the adaptive mode draws fewer pixels under sustained overload. */
  private pixelScale = 1;
  /**
   * Players whose data arrived or who need a canvas are set up in
   * time-budgeted batches, so hundreds of new players never make one long task.
   */
  private readonly setupQueue = new BudgetedQueue<Member>((member) => this.setUp(member));
  private readonly onVisibility = () => {
    if (!document.hidden) this.requestDraw();
  };

  constructor(options: StageRuntimeOptions) {
    this.host = options.host;
    this.cache = options.cache ?? pageAnimationCache();
    // A player's private clock draws on the main thread: a worker each would cost more than it saves.
    if (!this.host) this.renderMode = 'main';
  }

  // ---- timeline control -------------------------------------------------

  get paused(): boolean {
    return this.coordinator.paused;
  }

  get currentTime(): number {
    return this.coordinator.positionAt(this.timelineNow());
  }

  /** The longest single pass of any loaded player, in seconds. */
  get duration(): number {
    return Coordinator.durationOf(this.loadedSpecs());
  }

  get playbackRate(): number {
    return this.coordinator.playbackRate;
  }

  play(): void {
    this.controlled = true;
    if (!this.paused) return;
    const now = this.timelineNow();
    const end = Coordinator.endOf(this.loadedSpecs());
    const position = this.coordinator.positionAt(now);
    // Playing a finished stage starts it over, as a media element does.
    if (end !== null && this.playbackRate > 0 && position >= end) this.coordinator.seek(0, now);
    if (end !== null && this.playbackRate < 0 && position <= 0) this.coordinator.seek(end, now);
    this.coordinator.play(now);
    this.changed('lottie-sync-play');
  }

  pause(): void {
    this.controlled = true;
    if (this.paused) return;
    this.coordinator.pause(this.timelineNow());
    this.changed('lottie-sync-pause');
  }

  seek(seconds: number): void {
    this.controlled = true;
    this.coordinator.seek(seconds, this.timelineNow());
    this.changed('lottie-sync-seek');
  }

  setPlaybackRate(rate: number): void {
    if (rate === this.playbackRate) return;
    this.coordinator.setPlaybackRate(rate, this.timelineNow());
    this.changed('lottie-sync-ratechange');
  }

  /** Seconds at which `view`'s player shows `frame` first (counted from its segment start). */
  timeOfFrame(frame: number, element?: Element): number | null {
    const member = element ? this.byElement.get(element) : [...this.members].find((m) => m.spec);
    if (!member?.spec) return null;
    return frame / member.spec.frameRate;
  }

  /**
   * Milliseconds to add to this page's clock to get the shared clock of a sync
   * room (the relay's, as estimated; it changes smoothly as corrections are
   * slewed). 0 without a relay. Timeline vectors are kept on the shared clock.
   */
  clockShift: () => number = () => 0;

  /** Now on the clock timeline vectors are kept on. */
  private timelineNow(): number {
    return performance.now() + this.clockShift();
  }

  /** Called after every local change of the timeline (play, pause, seek, rate, autoplay). */
  onLocalChange: (() => void) | null = null;

  /** The timeline as it is now: vector, rate, playing. */
  snapshot(): TimelineState {
    const { timeline, playbackRate, paused } = this.coordinator;
    return { vector: timeline, rate: playbackRate, playing: !paused };
  }

  /** Takes the timeline of another stage in the room; announces what changed, does not send it back. */
  applyRemote(state: TimelineState): void {
    this.controlled = true;
    const wasPaused = this.paused;
    const rateChanged = state.rate !== this.playbackRate;
    this.coordinator.setState(state.vector, state.rate, state.playing);
    let type: TimelineEventType = 'lottie-sync-seek';
    if (wasPaused && state.playing) type = 'lottie-sync-play';
    else if (!wasPaused && !state.playing) type = 'lottie-sync-pause';
    else if (rateChanged) type = 'lottie-sync-ratechange';
    this.changed(type, false);
  }

  private changed(type: TimelineEventType, local = true): void {
    // Controlling the stage controls every group: groups controlled on their own rejoin its timeline.
    for (const group of this.groups.values()) {
      group.clock = null;
      group.resync = true;
    }
    this.redrawAll();
    this.emit(new LottieSyncTimelineEvent(type, this.currentTime, this.playbackRate, this.paused));
    if (local) this.onLocalChange?.();
  }

  private emit(event: Event): void {
    this.host?.dispatchEvent(event);
  }

  private *loadedSpecs(): Iterable<PlaybackSpec> {
    for (const member of this.members) if (member.spec) yield member.spec;
  }

  /** The stage's default loop changed, or a seek happened: every player recomputes. */
  redrawAll(): void {
    for (const member of this.members) this.buildSpec(member, false);
    this.requestDraw();
  }

  /** Draw on the next frame, whatever the tier. */
  private requestDraw(): void {
    this.dirty = true;
    this.ticker.request();
  }

  // ---- draw rate --------------------------------------------------------

  setRatePolicy(policy: RatePolicy): void {
    this.policy = policy;
    if (policy.kind === 'adaptive') this.adaptive = new AdaptiveRate();
    this.updateTier();
    this.setPixelScale(1);
  }

  /** The draw rate in force and where it comes from. */
  get tier(): { readonly fps: number; readonly source: TierSource } {
    if (this.fps === 0) this.updateTier();
    return { fps: this.fps, source: this.policy.kind };
  }

  private updateTier(): void {
    const policy = this.policy;
    const fps =
      policy.kind === 'table' ? tierFor(policy.tiers, this.members.size) : policy.kind === 'fixed' ? policy.fps : this.adaptive.fps;
    if (fps === this.fps) return;
    const previous = this.fps;
    this.fps = fps;
    if (previous !== 0) this.emit(new LottieSyncTierEvent(fps, policy.kind, previous));
  }

  /** Ticks, draw times, tier, spread, players and memory, as of now. */
  get metrics(): StageMetrics {
    const groups = new Map<string, { frames: number[]; total: number }>();
    let drawing = 0;
    for (const member of this.members) {
      const { spec, entry } = member;
      if (!spec || !entry || member.shownFrame < 0) continue;
      drawing += 1;
      const key = `${entry.url} ${spec.start} ${spec.end} ${spec.loop} ${spec.direction} ${spec.mode} ${member.group?.name ?? ''}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { frames: [], total: entry.meta.totalFrames }));
      group.frames.push(member.shownFrame);
    }
    let visible = 0;
    for (const member of this.members) if (member.visible) visible += 1;
    const now = performance.now();
    let leased = this.main.pool.leased;
    let idle = this.main.pool.available;
    let renderers = this.main.renderers.size;
    let workerCost = 0;
    for (const shard of this.shards) {
      leased += shard.pool.leased;
      idle += shard.pool.available;
      renderers += shard.rendererCount;
      workerCost = Math.max(workerCost, shard.costP(0.95, now));
    }
    let spread = 0;
    for (const { frames, total } of groups.values()) spread = Math.max(spread, circularSpread(frames, total));
    const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    return {
      ...this.recorder.summary(now),
      tierFps: this.tier.fps,
      tierSource: this.policy.kind,
      pixelRatio: this.pixelRatio,
      spread,
      playersTotal: this.members.size,
      playersVisible: visible,
      playersDrawing: drawing,
      canvasesLeased: leased,
      canvasesIdle: idle,
      renderers,
      workers: this.shards.length,
      workersStarted: this.workersStarted,
      workerDrawTimeP95: workerCost,
      heapBytes: memory ? memory.usedJSHeapSize : null,
    };
  }

  // ---- lifecycle --------------------------------------------------------

  /** Stops ticking while the stage is out of the document; state is kept. */
  suspend(): void {
    this.suspended = true;
    this.ticker.cancel();
    document.removeEventListener('visibilitychange', this.onVisibility);
    // A stage moved in the DOM is back before this runs and keeps its workers; a removed one ends them.
    this.stopTimer ??= setTimeout(() => {
      this.stopTimer = null;
      if (this.suspended) this.stopWorkers();
    }, 0);
  }

  resume(): void {
    if (this.stopTimer !== null) clearTimeout(this.stopTimer);
    this.stopTimer = null;
    this.suspended = false;
    // Players whose canvases ended with the workers get new ones.
    for (const member of this.members) if (!member.canvas) this.syncCanvas(member);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.requestDraw();
  }

  /** Number of players registered. */
  get size(): number {
    return this.members.size;
  }

  /** Registers a player; the returned handle is its only link to this runtime. */
  register(view: PlayerView, stage: HTMLElement | null): PlayerRegistration {
    const existing = this.byElement.get(view.element);
    if (existing) return this.handles.get(existing)!;
    const member = new Member(view, this.main);
    this.members.add(member);
    this.byElement.set(view.element, member);
    this.resizeObserver.observe(view.element);
    if (this.viewport) this.viewport.observe(view.element);
    else member.visible = member.placed = true;
    this.readyAnnounced = false;
    this.updateTier();
    let released = false;
    const handle: PlayerRegistration = {
      stage,
      update: (config) => {
        if (!released) this.update(member, config);
      },
      release: () => {
        if (released) return;
        released = true;
        this.unregister(member);
      },
    };
    this.handles.set(member, handle);
    return handle;
  }

  private unregister(member: Member): void {
    this.joinGroup(member, null);
    this.members.delete(member);
    this.handles.delete(member);
    this.byElement.delete(member.view.element);
    this.resizeObserver.unobserve(member.view.element);
    this.viewport?.unobserve(member.view.element);
    this.dropData(member);
    this.syncCanvas(member);
    this.leaveShard(member);
    this.updateTier();
    this.checkReady();
  }

  /**
   * Takes `member`'s canvas (and its renderer reference) back to its pool. A
   * player without a canvas costs its worker nothing: it leaves its shard and
   * is placed again when it needs a canvas.
   */
  private returnCanvas(member: Member): void {
    const canvas = member.canvas;
    if (canvas) {
      this.dropRenderer(member);
      member.view.mountCanvas(null);
      member.backend.pool.release(canvas);
      member.canvas = null;
      member.context = null;
    }
    this.leaveShard(member);
  }

  private leaveShard(member: Member): void {
    if (member.backend instanceof WorkerShard) member.backend.members.delete(member);
    member.backend = this.main;
  }

  private dropData(member: Member): void {
    this.dropRenderer(member);
    member.lease?.release();
    member.lease = null;
    member.entry = null;
    member.spec = null;
  }

  private dropRenderer(member: Member): void {
    if (member.heldKey !== null) member.backend.releaseRenderer(member.heldKey);
    member.heldKey = null;
    member.renderKey = null;
    member.shownFrame = -1;
  }

  private update(member: Member, config: PlayerConfig): void {
    const srcChanged = config.src !== member.config.src;
    member.config = config;
    member.configured = true;
    if (config.group !== (member.group?.name ?? null)) this.joinGroup(member, config.group);
    if (!srcChanged) {
      if (member.entry) this.buildSpec(member, true);
      this.requestDraw();
      return;
    }
    this.dropData(member);
    if (!config.src) {
      member.state = 'empty';
      this.checkReady();
      return;
    }
    member.state = 'loading';
    // A new src after a failure gets its canvas back.
    this.syncCanvas(member);
    this.readyAnnounced = false;
    const lease = this.cache.acquire(config.src, this.maxBytes);
    member.lease = lease;
    lease.entry.then(
      (entry) => {
        if (member.lease !== lease) return;
        member.entry = entry;
        this.setupQueue.push(member);
      },
      (error: LottieSyncError) => {
        if (member.lease === lease) this.fail(member, error);
      },
    );
  }

  private fail(member: Member, error: LottieSyncError): void {
    member.state = 'failed';
    this.dropData(member);
    this.syncCanvas(member);
    member.view.failed(error);
    this.checkReady();
  }

  /** Computes what `member` plays from its file, its attributes and the stage's loop. */
  private buildSpec(member: Member, announce: boolean): void {
    const entry = member.entry;
    if (!entry) return;
    const { config } = member;
    const { meta } = entry;
    let start = 0;
    let end = meta.totalFrames;
    if (config.segment) {
      const [from, to] = config.segment;
      if (from >= 0 && to <= meta.totalFrames && from < to) [start, end] = [from, to];
      else if (announce) {
        member.view.failed(
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
        member.view.failed(
          new LottieSyncError(
            'unknown-marker',
            `marker="${config.marker}" is not in the file (markers: ${names}); playing the whole file.`,
          ),
        );
      }
    }
    member.spec = {
      frameRate: meta.frameRate,
      start,
      end,
      loop: config.loop ?? this.loop,
      direction: config.direction,
      mode: config.mode,
    };
    member.shownFrame = -1;
    this.requestDraw();
  }

  private attachRenderer(member: Member): void {
    const { entry, width, height } = member;
    if (!entry || member.canvas === null || width === 0 || height === 0) return;
    const key = member.backend.rendererKey(entry.url, width, height);
    if (member.heldKey === key) return;
    this.dropRenderer(member);
    let ready;
    try {
      ready = member.backend.acquireRenderer(entry, width, height).ready;
    } catch (error) {
      this.fail(member, error as LottieSyncError);
      return;
    }
    member.heldKey = key;
    ready.then(
      () => {
        if (member.heldKey !== key) return;
        member.renderKey = key;
        this.requestDraw();
      },
      (error: LottieSyncError) => {
        if (member.heldKey !== key) return;
        const backend = member.backend;
        if (backend instanceof WorkerShard && backend.alive) {
          // Built in a worker only: the file may still draw on the main thread.
          this.mainThreadOnly.add(entry.url);
          this.moveTo(member, null);
        } else this.fail(member, error);
      },
    );
  }

  // ---- groups -------------------------------------------------------------

  private groupNamed(name: string): SyncGroup<Member> {
    let group = this.groups.get(name);
    if (!group) this.groups.set(name, (group = new SyncGroup<Member>(name)));
    return group;
  }

  private dropGroupIfUnused(group: SyncGroup<Member>): void {
    if (group.members.size === 0 && !this.groupElements.has(group.name)) this.groups.delete(group.name);
  }

  private joinGroup(member: Member, name: string | null): void {
    const previous = member.group;
    if (previous) {
      previous.members.delete(member);
      this.dropGroupIfUnused(previous);
    }
    member.group = name === null ? null : this.groupNamed(name);
    member.group?.members.add(member);
    member.lazy = null;
    member.shownFrame = -1;
  }

  /** The group's master: the member marked `master`, else the first to join (loaded ones only). */
  private masterOf(group: SyncGroup<Member>): Member | undefined {
    let first: Member | undefined;
    for (const member of group.members) {
      if (!member.spec) continue;
      if (member.config.master) return member;
      first ??= member;
    }
    return first;
  }

  /** Links a `<lottie-sync-group>` element: its settings and its own controls. */
  registerGroup(name: string): GroupRegistration {
    this.groupElements.set(name, (this.groupElements.get(name) ?? 0) + 1);
    const group = this.groupNamed(name);
    const clockOf = () => group.clock ?? this.coordinator;
    const timelineNow = () => this.timelineNow();
    let released = false;
    const control = (action: (clock: Coordinator, now: number) => void) => {
      const now = this.timelineNow();
      action(group.ownClock(this.coordinator, now), now);
      group.resync = true;
      for (const member of group.members) member.shownFrame = -1;
      this.requestDraw();
    };
    return {
      update: (settings: GroupSettings) => {
        group.settings = settings;
        group.resync = true;
        this.requestDraw();
      },
      play: () => control((clock, now) => clock.play(now)),
      pause: () => control((clock, now) => clock.pause(now)),
      seek: (seconds: number) => control((clock, now) => clock.seek(seconds, now)),
      get paused() {
        return clockOf().paused;
      },
      get currentTime() {
        return clockOf().positionAt(timelineNow());
      },
      release: () => {
        if (released) return;
        released = true;
        const count = (this.groupElements.get(name) ?? 1) - 1;
        if (count > 0) this.groupElements.set(name, count);
        else {
          this.groupElements.delete(name);
          group.settings = DEFAULT_GROUP;
          group.clock = null;
          this.dropGroupIfUnused(group);
        }
      },
    };
  }

  /**
   * A member's timeline position this tick: its group's clock (or the stage's),
   * scaled to the master's loop with `align="progress"`, and for followers the
   * group's sync mode: batched followers skip ticks, lazy followers run on
   * their own position and are corrected when they drift. Null: skip this tick.
   */
  private positionOf(
    member: Member,
    stagePosition: number,
    now: number,
    masters: Map<SyncGroup<Member>, Member | undefined>,
  ): number | null {
    const group = member.group;
    if (!group) return stagePosition;
    let position = group.clock ? group.clock.positionAt(now) : stagePosition;
    if (!masters.has(group)) masters.set(group, this.masterOf(group));
    const master = masters.get(group);
    if (member === master || !member.spec) return position;
    const { settings } = group;
    if (settings.align === 'progress' && master?.spec) position *= specDuration(member.spec) / specDuration(master.spec);
    if (settings.mode === 'batched') return group.ticks % settings.batch === 0 || member.shownFrame < 0 ? position : null;
    if (settings.mode === 'lazy') {
      if (!member.lazy || group.resync) member.lazy = { position, rate: 1, at: now };
      const velocity = (group.clock ?? this.coordinator).timeline.velocity;
      const maxStep = Math.max(LAZY_MAX_STEP_SECONDS, 2 / this.tier.fps);
      return stepLazy(member.lazy, position, velocity, now, member.spec.frameRate, settings.maxDrift, maxStep);
    }
    return position;
  }

  // ---- size and canvas --------------------------------------------------

  /** Device pixels per CSS pixel that canvases are drawn at: the screen's, capped, times the adaptive scale. */
  get pixelRatio(): number {
    return Math.min(globalThis.devicePixelRatio || 1, this.maxPixelRatio) * this.pixelScale;
  }

  /** The adaptive mode changed the pixel scale: every canvas takes its new size. */
  private setPixelScale(scale: number): void {
    if (scale === this.pixelScale) return;
    const previous = this.pixelRatio;
    this.pixelScale = scale;
    const ratio = this.pixelRatio;
    for (const member of this.members) {
      if (!member.measured) continue;
      member.width = Math.round(member.cssWidth * ratio);
      member.height = Math.round(member.cssHeight * ratio);
      this.syncCanvas(member);
    }
    this.requestDraw();
    this.emit(new LottieSyncQualityEvent(ratio, previous));
  }

  private onResize(entries: ResizeObserverEntry[]): void {
    const ratio = this.pixelRatio;
    for (const entry of entries) {
      const member = this.byElement.get(entry.target);
      if (!member) continue;
      member.measured = true;
      member.cssWidth = entry.contentRect.width;
      member.cssHeight = entry.contentRect.height;
      member.width = Math.round(member.cssWidth * ratio);
      member.height = Math.round(member.cssHeight * ratio);
      this.syncCanvas(member);
    }
    this.checkReady();
  }

  private onViewport(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const member = this.byElement.get(entry.target);
      if (!member) continue;
      member.placed = true;
      member.visible = entry.isIntersecting;
      this.syncCanvas(member);
    }
    this.checkReady();
  }

  private wantsCanvas(member: Member): boolean {
    return this.members.has(member) && member.visible && member.width > 0 && member.height > 0 && member.state === 'ready';
  }

  /**
   * Gives `member` a canvas of its box's size while it is registered, visible,
   * has a box and has not failed, and takes the canvas back otherwise. New
   * canvases are leased through the set-up queue.
   */
  private syncCanvas(member: Member): void {
    const canvas = member.canvas;
    if (!this.wantsCanvas(member)) {
      this.returnCanvas(member);
      return;
    }
    if (!canvas) {
      this.setupQueue.push(member);
      return;
    }
    if (member.backend.pool.resize(canvas, member.width, member.height)) member.shownFrame = -1;
    this.attachRenderer(member);
  }

  /** Finishes what a player is waiting for: its loaded data, its canvas, or both. */
  private setUp(member: Member): void {
    if (!this.members.has(member)) return;
    if (member.state === 'loading' && member.entry) {
      member.state = 'ready';
      this.buildSpec(member, true);
      member.view.loaded(member.entry.meta, frameCount(member.spec!), specDuration(member.spec!));
      this.checkReady();
    }
    if (member.canvas || !this.wantsCanvas(member)) {
      this.syncCanvas(member);
      return;
    }
    member.backend = this.place(member);
    member.canvas = member.backend.pool.acquire(member.width, member.height);
    member.fresh = true;
    member.drawn = false;
    member.context = member.backend === this.main ? member.canvas.getContext('2d') : null;
    // A worker's canvas is shown once the worker says its first frame is on it (not blank, and not
    // what the tick in flight may still draw on it for its previous player).
    if (member.context) member.view.mountCanvas(member.canvas);
    member.shownFrame = -1;
    this.attachRenderer(member);
    this.requestDraw();
  }

  // ---- workers ------------------------------------------------------------

  get maxWorkers(): number {
    return this.workerLimit;
  }

  /** A lower limit ends the workers over it; their players move to the others. */
  set maxWorkers(limit: number) {
    this.workerLimit = limit;
    while (this.shards.length > limit) {
      const shard = this.shards.pop()!;
      for (const member of [...shard.members]) this.moveTo(member, null);
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

  /** Switches between drawing in workers and on the main thread; every player moves at once. */
  setRenderMode(mode: RenderMode): void {
    if (mode === this.renderMode) return;
    this.renderMode = mode;
    for (const member of this.members) if (member.canvas) this.moveTo(member, null);
    if (mode === 'main') this.stopWorkers();
  }

  /**
   * Where `member` is drawn: the main thread when workers are off, unsupported,
   * broken or the file needs a document; else its shard if it has one, a shard
   * that already holds its file (drawing once still pays), the least-loaded
   * shard with room, or a new shard while there are fewer than `maxWorkers`.
   */
  private place(member: Member): DrawBackend {
    const current = member.backend;
    const entry = member.entry;
    if (
      this.renderMode === 'main' ||
      this.workersBroken ||
      !entry?.meta.workerSafe ||
      this.mainThreadOnly.has(entry.url) ||
      !workersSupported()
    ) {
      this.leaveShard(member);
      return this.main;
    }
    if (current instanceof WorkerShard && current.alive && current.members.has(member)) return current;
    const now = performance.now();
    const load = (shard: WorkerShard<Member>) => shard.costP(0.9, now) * 1000 + shard.members.size;
    const withRoom = this.shards.filter((shard) => shard.members.size < this.shardSize);
    let shard = withRoom.find((candidate) => candidate.hasFile(entry.url));
    if (!shard && withRoom.length === 0 && this.shards.length < this.maxWorkers) shard = this.startShard() ?? undefined;
    shard ??= [...(withRoom.length > 0 ? withRoom : this.shards)].sort((a, b) => load(a) - load(b))[0];
    if (!shard) return this.main;
    shard.members.add(member);
    return shard;
  }

  private startShard(): WorkerShard<Member> | null {
    try {
      const shard = new WorkerShard<Member>(
        this.workerUrl,
        this.frameMemoryBytes,
        (from, pending, answer) => this.onWorkerDrawn(from, pending, answer),
        (from, message) => this.workerFailed(from, message),
      );
      this.shards.push(shard);
      this.workersStarted += 1;
      return shard;
    } catch (error) {
      this.reportWorkerFailure((error as Error).message);
      return null;
    }
  }

  /**
   * An overloaded shard (over budget with players to spare, or over
   * `shardSize`) gives half its players, whole files first, to a new one.
   */
  private rebalance(now: number): void {
    if (this.workersBroken || this.shards.length >= this.maxWorkers || now - this.lastSplitAt < 2000) return;
    const overloaded = this.shards.find(
      (shard) => shard.members.size > this.shardSize || (shard.members.size >= 2 && shard.costP(0.9, now) > SHARD_BUDGET_MS),
    );
    if (!overloaded) return;
    const fresh = this.startShard();
    if (!fresh) return;
    this.lastSplitAt = now;
    overloaded.resetCosts();
    const sorted = [...overloaded.members].sort((a, b) => (a.entry?.url ?? '').localeCompare(b.entry?.url ?? ''));
    for (const member of sorted.slice(Math.ceil(sorted.length / 2))) this.moveTo(member, fresh);
  }

  /** Gives `member`'s canvas back and has it set up again on `backend` (null: placed afresh). */
  private moveTo(member: Member, backend: WorkerShard<Member> | null): void {
    this.returnCanvas(member);
    if (backend) {
      member.backend = backend;
      backend.members.add(member);
    }
    this.syncCanvas(member);
  }

  /** `member`'s worker is gone, and its canvas with it. */
  private evict(member: Member): void {
    member.heldKey = null;
    member.renderKey = null;
    member.shownFrame = -1;
    if (member.canvas) member.view.mountCanvas(null);
    member.canvas = null;
    member.context = null;
    member.backend = this.main;
  }

  /** Ends every worker (the stage left the document); players get canvases again when it is back. */
  private stopWorkers(): void {
    for (const shard of this.shards.splice(0)) {
      for (const member of shard.members) this.evict(member);
      shard.members.clear();
      shard.terminate();
    }
  }

  private onWorkerDrawn(shard: WorkerShard<Member>, pending: PendingDraw<Member>, answer: Extract<FromWorker, { t: 'drawn' }>): void {
    const missed = new Map(answer.missed.map(([key, frame, message]) => [`${frame} ${key}`, message]));
    for (const [member, key, frame, canvas] of pending.draws) {
      if (member.canvas !== canvas || member.backend !== shard) continue;
      const miss = missed.get(`${frame} ${key}`);
      if (miss === undefined) {
        if (!member.drawn) member.view.mountCanvas(canvas);
        member.drawn = true;
        member.view.frameDrawn(frame);
      } else if (miss === 'no renderer') {
        member.shownFrame = -1;
      } else {
        this.fail(member, new LottieSyncError('render-failed', miss));
      }
    }
    this.recorder.addRenders(answer.renders);
    this.checkReady();
    if (missed.size > 0) this.requestDraw();
  }

  /** A worker crashed or would not start: its players move to the main thread, and the stage stays there. */
  private workerFailed(shard: WorkerShard<Member>, message: string): void {
    const index = this.shards.indexOf(shard);
    if (index >= 0) this.shards.splice(index, 1);
    for (const member of shard.members) this.evict(member);
    shard.members.clear();
    this.reportWorkerFailure(message);
    // The others would most likely fail the same way: every player moves to the main thread now.
    this.stopWorkers();
    for (const member of this.members) this.syncCanvas(member);
    this.requestDraw();
  }

  private reportWorkerFailure(message: string): void {
    this.workersBroken = true;
    const text = `The render worker failed (${message}); drawing on the main thread instead.`;
    if (this.host) console.warn(`<${this.host.localName}>: ${text}`);
    this.emit(new LottieSyncErrorEvent('worker-failed', text, null, false));
  }

  // ---- the tick ---------------------------------------------------------

  private tick(now: number): boolean {
    // A hidden document draws nothing; time flows on, so it comes back in sync.
    if (this.suspended || document.hidden) return false;
    const due = this.dirty || this.paused || now - this.lastDrawAt >= 1000 / this.tier.fps - FRAME_SLACK_MS;
    if (!due) return true;
    const gap = now - this.lastTickAt;
    this.lastTickAt = now;
    for (const shard of [...this.shards]) {
      // After a frozen or stalled page the answer may simply not have been read yet.
      if (gap > 1000) shard.extendDeadline(now);
      else if (shard.overdue(now, WORKER_TIMEOUT_MS)) shard.fail('it stopped answering');
    }
    // Every worker draws the same tick: the next one waits until all have answered.
    if (this.shards.some((shard) => shard.pending !== null)) {
      this.heldBack += 1;
      return true;
    }
    const started = performance.now();
    this.dirty = false;
    this.lastDrawAt = now;
    let canvases = 0;
    let renders = 0;
    let firstDrawsLeft = FIRST_DRAWS_PER_TICK;
    const timelineNow = now + this.clockShift();
    let position = this.coordinator.positionAt(timelineNow);
    if (!this.paused) {
      const end = Coordinator.endOf(this.loadedSpecs());
      const rate = this.playbackRate;
      if (end !== null && ((rate > 0 && position >= end) || (rate < 0 && position <= 0))) {
        position = rate > 0 ? end : 0;
        this.coordinator.pause(timelineNow);
        this.coordinator.seek(position, timelineNow);
        this.emit(new LottieSyncTimelineEvent('lottie-sync-complete', position, rate, true));
      }
    }
    const masters = new Map<SyncGroup<Member>, Member | undefined>();
    const stagePosition = position;
    const plan = this.coordinator.plan(this.members, (member) => this.positionOf(member, stagePosition, timelineNow, masters));
    for (const group of this.groups.values()) {
      group.ticks += 1;
      group.resync = false;
    }
    // At most FIRST_DRAWS_PER_TICK canvases are shown for the first time per tick; already-shown
    // players are never held back, so they never show a stale frame.
    const mayShow = (member: Member): boolean => {
      if (!member.fresh) return true;
      if (firstDrawsLeft === 0) {
        this.dirty = true;
        return false;
      }
      firstDrawsLeft -= 1;
      member.fresh = false;
      return true;
    };
    const batches = new Map<WorkerShard<Member>, { jobs: DrawJob[]; draws: [Member, string, number, HTMLCanvasElement][] }>();
    for (const [key, frames] of plan) {
      const backend = frames.values().next().value?.[0]?.backend;
      if (backend instanceof WorkerShard) {
        let batch = batches.get(backend);
        if (!batch) batches.set(backend, (batch = { jobs: [], draws: [] }));
        for (const [frame, members] of frames) {
          const ids: number[] = [];
          for (const member of members) {
            const canvas = member.canvas;
            const id = canvas ? backend.canvasId(canvas) : undefined;
            if (!canvas || id === undefined || !mayShow(member)) continue;
            ids.push(id);
            batch.draws.push([member, key, frame, canvas]);
            // Planned as shown; the player hears of it when the worker answers.
            member.shownFrame = frame;
            canvases += 1;
          }
          if (ids.length > 0) batch.jobs.push([key, frame, ids]);
        }
        continue;
      }
      const renderer = this.main.renderers.get(key);
      if (!renderer) continue;
      for (const [frame, members] of frames) {
        let source: CanvasImageSource;
        try {
          if (!renderer.has(frame)) renders += 1;
          source = renderer.draw(frame);
        } catch (cause) {
          const error = new LottieSyncError('render-failed', `lottie-web failed to draw frame ${frame}: ${(cause as Error).message}`);
          for (const member of members) this.fail(member, error);
          continue;
        }
        for (const member of members) {
          const context = member.context;
          if (!context || !mayShow(member)) continue;
          context.globalCompositeOperation = 'copy';
          context.drawImage(source, 0, 0);
          canvases += 1;
          member.shownFrame = frame;
          member.drawn = true;
          member.view.frameDrawn(frame);
        }
      }
    }
    for (const shard of this.shards) {
      const batch = batches.get(shard);
      if (batch || shard.hasQueued) shard.send(batch?.jobs ?? [], batch?.draws ?? [], now);
    }
    this.recorder.record(now, performance.now() - started, canvases, renders);
    if (now - this.lastAdaptAt >= ADAPT_EVERY_MS) {
      const since = this.lastAdaptAt;
      const costs = this.recorder.costsSince(since);
      this.lastAdaptAt = now;
      const heldBack = this.heldBack;
      this.heldBack = 0;
      this.rebalance(now);
      if (this.policy.kind === 'adaptive' && costs.length > 0) {
        // The main thread keeps half of the frame for the page; a worker may use all of its thread
        // (the next tick waits for its answer anyway), so its cost counts half against the same budget.
        let workerCost = 0;
        for (const shard of this.shards) workerCost = Math.max(workerCost, shard.costP(0.9, now));
        // A worker can also be slow for reasons its drawing time does not show (a busy core, its
        // canvases' commits). Waiting for its answers paces the ticks by itself, so that alone does
        // not lower the rate; but when due ticks waited and came slower than even the lowest rate,
        // the interval between them is what a tick costs, and the pixel ratio steps down. (`costs`
        // holds the ticks since the last check, that one included: one interval fewer.)
        const interval = (now - since) / Math.max(1, costs.length - 1);
        if (heldBack > 0 && interval > 1.2 * (1000 / ADAPTIVE_RATES.at(-1)!)) workerCost = Math.max(workerCost, interval);
        this.adaptive.update(Math.max(quantile(costs, 0.9), workerCost * 0.5));
        this.updateTier();
        this.setPixelScale(this.adaptive.pixelScale);
      }
    }
    this.checkReady();
    // Keep ticking while playing, or while new canvases still wait for their turn.
    return this.dirty || (!this.paused && this.members.size > 0);
  }

  private checkReady(): void {
    if (this.readyAnnounced || this.members.size === 0) return;
    let loaded = 0;
    let failed = 0;
    for (const member of this.members) {
      if (member.pending) return;
      if (member.state === 'failed') failed += 1;
      else if (member.state === 'ready') loaded += 1;
    }
    this.readyAnnounced = true;
    if (this.autoplay && !this.controlled && loaded > 0) {
      this.controlled = true;
      this.coordinator.play(this.timelineNow());
      this.requestDraw();
      this.emit(new LottieSyncTimelineEvent('lottie-sync-play', this.currentTime, this.playbackRate, false));
      this.onLocalChange?.();
    }
    this.emit(new LottieSyncReadyEvent(loaded, failed));
  }
}
