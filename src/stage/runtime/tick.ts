import { frameAt, passAt, passesOf } from '../../clock/frame-map.js';
import { LottieSyncError } from '../../errors.js';
import { NO_RENDERER, type DrawJob } from '../../render/draw-jobs.js';
import type { DrawAnswer, DrawBackend } from '../backends/draw-backend.js';
import type { Backends } from './backends.js';
import type { Canvases } from './canvases.js';
import type { DrawRate } from './draw-rate.js';
import type { Timelines } from './timelines.js';
import type { Playback } from './playback.js';
import type { StageHost } from './stage-host.js';
import type { StagePlayer } from './stage-player.js';

/** One canvas's part of a tick: which player, which renderer and frame, on which canvas. */
type Draw = readonly [player: StagePlayer, key: string, frame: number, canvas: HTMLCanvasElement];

interface Batch {
  readonly jobs: DrawJob[];
  readonly draws: Draw[];
}

/** The parts a tick drives. */
export interface TickParts {
  readonly playback: Playback;
  readonly timelines: Timelines;
  readonly canvases: Canvases;
  readonly backends: Backends;
  readonly drawRate: DrawRate;
}

/** What a tick tells the rest of the stage. */
export interface TickEvents {
  /** lottie-web threw drawing the player's frame. */
  failed(player: StagePlayer, error: LottieSyncError): void;
  /** The adaptive mode chose a pixel scale (maybe the one in force). */
  pixelScale(scale: number): void;
  /** The player finished a pass (`ended`: its last; it holds its final frame). Only on that tick: never per frame. */
  passed(player: StagePlayer, passes: number, ended: boolean): void;
}

/**
 * One tick of the stage: the position is computed once from the timeline
 * vector, then every player's frame from it; players whose frame did not
 * change are skipped, the rest are grouped by renderer and frame (drawn once,
 * copied to each canvas) and sent to their backends, one batch per backend.
 * Answers set the players' frames: every worker's answers of one tick are
 * applied together, so players on different shards never report different
 * ticks.
 */
export class Tick {
  /** Answers of this tick's workers, held until the last of them is in. */
  private held: (() => void)[] = [];

  constructor(
    private readonly host: StageHost,
    private readonly parts: TickParts,
    private readonly events: TickEvents,
    private readonly players: () => ReadonlySet<StagePlayer>,
    /** The timeline clock at a frame's timestamp. */
    private readonly timelineAt: (now: number) => number,
    /** The stage is out of the document. */
    private readonly suspended: () => boolean,
  ) {}

  /** Runs the tick of the frame at `now`; returns whether another tick is wanted. */
  run(now: number): boolean {
    const { playback, timelines, canvases, backends, drawRate } = this.parts;
    // A hidden document draws nothing; time flows on, so it comes back in sync.
    if (this.suspended() || document.hidden) return false;
    if (!drawRate.due(now, playback.paused)) return true;
    backends.watchdog(now);
    // Every worker draws the same tick: the next one waits until all have answered.
    if (backends.busy) {
      drawRate.heldBackByWorker();
      return true;
    }
    this.release();
    const started = performance.now();
    drawRate.drawing(now);
    const timelineNow = this.timelineAt(now);
    const stagePosition = playback.positionAt(timelineNow);
    timelines.beginTick();
    canvases.beginTick();
    const plan = new Map<string, Map<number, StagePlayer[]>>();
    for (const player of this.players()) {
      const spec = player.load.spec;
      const key = player.surface.renderKey;
      if (!spec || key === null) continue;
      const position = timelines.positionOf(player, stagePosition, timelineNow);
      if (position === null) continue;
      // Before the frame check: the last pass ends on the frame it already shows.
      const pass = passAt(position, spec);
      if (pass !== player.timing.pass) {
        const before = player.timing.pass;
        player.timing.pass = pass;
        if (pass > before) this.events.passed(player, pass, pass >= passesOf(spec));
      }
      const frame = frameAt(position, spec);
      if (frame === player.surface.shownFrame) continue;
      let frames = plan.get(key);
      if (!frames) plan.set(key, (frames = new Map()));
      const list = frames.get(frame);
      if (list) list.push(player);
      else frames.set(frame, [player]);
    }
    timelines.endTick();
    const batches = new Map<DrawBackend, Batch>();
    let shown = 0;
    for (const [key, frames] of plan) {
      for (const [frame, list] of frames) {
        const ids: number[] = [];
        let batch: Batch | undefined;
        for (const player of list) {
          const { canvas, backend } = player.surface;
          const id = canvas && backend ? backend.canvasId(canvas) : undefined;
          if (!canvas || !backend || id === undefined) continue;
          // A backend still drawing an earlier tick (the sandbox: workers are waited for) skips this one.
          if (!canvases.mayShow(player) || backend.busy) {
            drawRate.markDirty();
            continue;
          }
          batch = batches.get(backend);
          if (!batch) batches.set(backend, (batch = { jobs: [], draws: [] }));
          ids.push(id);
          batch.draws.push([player, key, frame, canvas]);
          // Planned as shown; the player hears of it when its backend answers.
          player.surface.shownFrame = frame;
          shown += 1;
        }
        if (batch && ids.length > 0) batch.jobs.push([key, frame, ids]);
      }
    }
    drawRate.recorder.begin(now, shown);
    for (const backend of backends.all) {
      const batch = batches.get(backend);
      // A backend still drawing (the sandbox) gets its queued sizes and clears with its next tick.
      if ((!batch && !backend.hasQueued) || backend.busy) continue;
      const draws = batch?.draws ?? [];
      backend.submit(batch?.jobs ?? [], (answer) => this.answered(backend, draws, answer), now);
    }
    drawRate.recorder.finish(performance.now() - started);
    if (drawRate.adaptDue(now)) {
      backends.rebalance(now);
      drawRate.adapt(now, backends.workerCost(0.5, now), backends.building);
      this.events.pixelScale(drawRate.pixelScale);
    }
    this.host.checkReady();
    // Keep ticking while playing (the stage, or a group or player on a timeline of its own), while a
    // scheduled change has not landed, while new canvases wait, or while the sandbox has not shown a tick
    // (its watchdog runs in ticks).
    const moving = !playback.paused || playback.coordinator.pendingAt(timelineNow) || timelines.anyPlaying(this.players());
    return drawRate.isDirty || backends.expressions.waiting || (this.players().size > 0 && moving);
  }

  /** A backend answered: the main thread at once; a worker's answer waits for the tick's other workers. */
  private answered(backend: DrawBackend, draws: readonly Draw[], answer: DrawAnswer): void {
    const { main, expressions } = this.parts.backends;
    if (backend === main || expressions.backends.includes(backend)) {
      this.apply(draws, answer);
      return;
    }
    this.held.push(() => this.apply(draws, answer));
    if (!this.parts.backends.busy) this.release();
  }

  /** Applies the workers' answers held so far (all are in, or the missing ones' workers are gone). */
  private release(): void {
    for (const apply of this.held.splice(0)) apply();
  }

  private apply(draws: readonly Draw[], answer: DrawAnswer): void {
    const { canvases, drawRate } = this.parts;
    const missed = new Map(answer.missed.map(([key, frame, message]) => [`${frame} ${key}`, message]));
    for (const [player, key, frame, canvas] of draws) {
      if (player.surface.canvas !== canvas) continue;
      const miss = missed.get(`${frame} ${key}`);
      if (miss === undefined) canvases.drew(player, canvas, frame);
      else if (miss === NO_RENDERER) player.surface.invalidate();
      else this.events.failed(player, new LottieSyncError('render-failed', miss));
    }
    drawRate.recorder.addRenders(answer.renders);
    this.host.checkReady();
    if (missed.size > 0) this.host.requestDraw();
  }
}
