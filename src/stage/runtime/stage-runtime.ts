import { BudgetedQueue } from '../../clock/budget.js';
import { FrameTicker } from '../../clock/ticker.js';
import { pageAnimationCache, type AnimationCache } from '../../data/animation-cache.js';
import { LottieSyncReadyEvent } from '../../events.js';
import type { StageMetrics, TierSource } from '../../metrics.js';
import type { GroupRegistration, PlayerConfig, PlayerRegistration, PlayerView } from '../../registration/protocol.js';
import { Backends, type RenderMode } from './backends.js';
import { Canvases } from './canvases.js';
import { DrawRate, type RatePolicy } from './draw-rate.js';
import { Timelines } from './timelines.js';
import { Loading } from './loading.js';
import { Playback } from './playback.js';
import type { StageHost } from './stage-host.js';
import { collectMetrics } from './stage-metrics.js';
import { StagePlayer } from './stage-player.js';
import { Tick } from './tick.js';
import { Viewport } from './viewport.js';

export interface StageRuntimeOptions {
  /** Element the stage's events are dispatched on; null for a player's private clock. */
  readonly host: HTMLElement | null;
  readonly cache?: AnimationCache;
}

/**
 * Everything a stage owns, as parts behind one host: playback (the timeline),
 * loading (data and specs), groups, the viewport, canvases, the draw rate, the
 * backends (main thread and render workers) and the tick that drives them. The
 * `<lottie-sync-stage>` element wraps one; a player with no stage makes a
 * private one. This class wires the parts together and keeps the players.
 */
export class StageRuntime implements StageHost {
  readonly label: string | null;
  readonly playback: Playback;
  readonly loading: Loading;
  readonly timelines: Timelines;
  readonly viewport: Viewport;
  readonly canvases: Canvases;
  readonly backends: Backends;
  readonly drawRate: DrawRate;
  private readonly tick: Tick;
  private readonly players = new Set<StagePlayer>();
  private readonly byElement = new Map<Element, { player: StagePlayer; registration: PlayerRegistration }>();
  private readonly element: HTMLElement | null;
  private readonly ticker = new FrameTicker((now) => this.tick.run(now));
  /** New data and new canvases are set up in time-budgeted batches, so hundreds of players never make one long task. */
  private readonly setupQueue = new BudgetedQueue<StagePlayer>((player) => this.setUp(player));
  private readyAnnounced = false;
  private suspended = false;
  private holding = false;
  private stopTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly onVisibility = () => {
    if (!document.hidden) this.requestDraw();
  };

  /**
   * Milliseconds to add to this page's clock to get the shared clock of a sync
   * room (the relay's, as estimated; it changes smoothly as corrections are
   * slewed). 0 without a relay. Timeline vectors are kept on the shared clock.
   */
  clockShift: () => number = () => 0;

  constructor(options: StageRuntimeOptions) {
    this.element = options.host;
    this.label = options.host ? `<${options.host.localName}>` : null;
    this.playback = new Playback(this, {
      specs: () => this.loadedSpecs(),
      changed: () => {
        this.timelines.rejoinStage(this.players);
        this.loading.respecifyAll(this.players);
      },
    });
    this.loading = new Loading(this, options.cache ?? pageAnimationCache(), {
      arrived: (player) => this.setupQueue.push(player),
      dropped: (player) => {
        this.canvases.dropRenderer(player);
        this.canvases.sync(player);
      },
      respecified: (player) => player.surface.invalidate(),
    });
    this.drawRate = new DrawRate(this, () => this.players.size);
    this.timelines = new Timelines(this, this.playback.coordinator, () => this.drawRate.tierFps);
    this.viewport = new Viewport(
      this,
      (element) => this.byElement.get(element)?.player,
      (player) => this.canvases.sync(player),
    );
    this.backends = new Backends(this, {
      returnCanvas: (player) => this.canvases.giveBack(player),
      syncCanvas: (player) => this.canvases.sync(player),
      evict: (player) => this.canvases.evict(player),
      failed: (player, error) => this.loading.fail(player, error),
    });
    this.canvases = new Canvases(this, this.backends, {
      queueLease: (player) => this.setupQueue.push(player),
      failed: (player, error) => this.loading.fail(player, error),
      registered: (player) => this.players.has(player),
    });
    this.tick = new Tick(
      this,
      this,
      {
        failed: (player, error) => this.loading.fail(player, error),
        pixelScale: (scale) => this.viewport.setPixelScale(scale, this.players),
        passed: (player, passes, ended) => player.view.passed(passes, ended),
      },
      () => this.players,
      (now) => now + this.clockShift(),
      () => this.suspended || this.holding,
    );
    // A player's private clock draws on the main thread: a worker each would cost more than it saves.
    if (!this.element) this.backends.renderMode = 'main';
  }

  // ---- the host the parts see --------------------------------------------

  requestDraw(): void {
    this.drawRate.markDirty();
    this.ticker.request();
  }

  emit(event: Event): void {
    this.element?.dispatchEvent(event);
  }

  timelineNow(): number {
    return performance.now() + this.clockShift();
  }

  checkReady(): void {
    if (this.readyAnnounced || this.players.size === 0) return;
    let loaded = 0;
    let failed = 0;
    for (const player of this.players) {
      if (player.pending) return;
      if (player.load.status === 'failed') failed += 1;
      else if (player.load.status === 'ready') loaded += 1;
    }
    this.readyAnnounced = true;
    if (loaded > 0) this.playback.startIfAutoplay();
    this.emit(new LottieSyncReadyEvent(loaded, failed));
  }

  private *loadedSpecs() {
    for (const player of this.players) if (player.load.spec) yield player.load.spec;
  }

  // ---- timeline ----------------------------------------------------------

  /** Seconds at which `element`'s player (default: the first loaded one) shows `frame` first, counted from its segment start. */
  timeOfFrame(frame: number, element?: Element): number | null {
    const player = element ? this.byElement.get(element)?.player : [...this.players].find((p) => p.load.spec);
    const spec = player?.load.spec;
    return spec ? frame / spec.frameRate : null;
  }

  /** The stage's default loop, for players that do not set their own. */
  get loop(): boolean {
    return this.loading.loop;
  }

  set loop(loop: boolean) {
    if (loop === this.loading.loop) return;
    this.loading.loop = loop;
    this.loading.respecifyAll(this.players);
  }

  // ---- draw rate and drawing ----------------------------------------------

  setRatePolicy(policy: RatePolicy): void {
    this.drawRate.setPolicy(policy);
    this.viewport.setPixelScale(1, this.players);
  }

  /** The draw rate in force and where it comes from. */
  get tier(): { readonly fps: number; readonly source: TierSource } {
    return { fps: this.drawRate.tierFps, source: this.drawRate.source };
  }

  setRenderMode(mode: RenderMode): void {
    this.backends.setRenderMode(mode, this.players);
  }

  /** Ticks, draw times, tier, spread, players and memory, as of now. */
  get metrics(): StageMetrics {
    return collectMetrics(this.players, this);
  }

  // ---- lifecycle ----------------------------------------------------------

  /**
   * While true the stage draws nothing (its players stay blank, ready waits):
   * a stage joining a sync room holds until it has the room's state and
   * clock, so it never shows a frame that is not the room's.
   */
  get joining(): boolean {
    return this.holding;
  }

  set joining(on: boolean) {
    if (on === this.holding) return;
    this.holding = on;
    if (!on) this.requestDraw();
  }

  /** Stops ticking while the stage is out of the document; state is kept. */
  suspend(): void {
    this.suspended = true;
    this.ticker.cancel();
    document.removeEventListener('visibilitychange', this.onVisibility);
    // A stage moved in the DOM is back before this runs and keeps its workers; a removed one ends them.
    this.stopTimer ??= setTimeout(() => {
      this.stopTimer = null;
      if (this.suspended) this.backends.stopAll();
    }, 0);
  }

  resume(): void {
    if (this.stopTimer !== null) clearTimeout(this.stopTimer);
    this.stopTimer = null;
    this.suspended = false;
    // Players whose canvases ended with the workers get new ones.
    for (const player of this.players) if (!player.surface.canvas) this.canvases.sync(player);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.requestDraw();
  }

  // ---- players ------------------------------------------------------------

  /** Number of players registered. */
  get size(): number {
    return this.players.size;
  }

  /** Registers a player; the returned registration is its only link to this runtime (the same one for the same element). */
  register(view: PlayerView, stage: HTMLElement | null): PlayerRegistration {
    const existing = this.byElement.get(view.element);
    if (existing) return existing.registration;
    const player = new StagePlayer(view);
    this.players.add(player);
    this.viewport.observe(player);
    this.readyAnnounced = false;
    this.drawRate.update();
    let released = false;
    const registration: PlayerRegistration = {
      stage,
      place: player,
      // A player's private clock is its stage's timeline; on a stage, it takes a timeline of its own.
      controls: this.element ? this.timelines.controlsOf(player) : this.playback,
      keep: (permanent) => this.timelines.keepClock(player, permanent),
      update: (config) => {
        if (!released) this.update(player, config);
      },
      release: () => {
        if (released) return;
        released = true;
        this.unregister(player);
      },
    };
    this.byElement.set(view.element, { player, registration });
    return registration;
  }

  /** Links a `<lottie-sync-group>` element: its settings and its own controls. */
  registerGroup(name: string, stage: HTMLElement): GroupRegistration {
    return this.timelines.register(name, stage);
  }

  private unregister(player: StagePlayer): void {
    this.timelines.join(player, null);
    this.players.delete(player);
    this.byElement.delete(player.view.element);
    this.viewport.unobserve(player);
    this.setupQueue.delete(player);
    this.canvases.dropRenderer(player);
    this.loading.drop(player);
    this.canvases.sync(player);
    this.drawRate.update();
    this.checkReady();
  }

  private update(player: StagePlayer, config: PlayerConfig): void {
    const before = player.config;
    const srcChanged = config.src !== before.src || config.data !== before.data || config.animation !== before.animation;
    player.config = config;
    player.configured = true;
    if (config.group !== (player.timing.group?.name ?? null)) this.timelines.join(player, config.group);
    if (srcChanged && (config.src || config.data !== null)) this.readyAnnounced = false;
    this.loading.update(player, srcChanged);
  }

  /** Finishes what a player is waiting for: its loaded data, its canvas, or both. */
  private setUp(player: StagePlayer): void {
    if (!this.players.has(player)) return;
    this.loading.finish(player);
    this.canvases.lease(player);
  }
}
