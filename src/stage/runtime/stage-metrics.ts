import { circularSpread } from '../../clock/draw-recorder.js';
import type { StageMetrics } from '../../metrics.js';
import type { Backends } from './backends.js';
import type { Canvases } from './canvases.js';
import type { DrawRate } from './draw-rate.js';
import type { StagePlayer } from './stage-player.js';
import type { Viewport } from './viewport.js';

/** The parts a stage's metrics are read from. */
export interface MetricsParts {
  readonly drawRate: DrawRate;
  readonly viewport: Viewport;
  readonly canvases: Canvases;
  readonly backends: Backends;
}

/** Largest frame difference now between players that play the same file the same way (and group). */
function spreadOf(players: Iterable<StagePlayer>): number {
  const sets = new Map<string, { frames: number[]; total: number }>();
  for (const player of players) {
    const { spec, entry } = player.load;
    const frame = player.surface.shownFrame;
    if (!spec || !entry || frame < 0) continue;
    const key = `${entry.url} ${spec.start} ${spec.end} ${spec.loop} ${spec.direction} ${spec.mode} ${player.timing.group?.name ?? ''}`;
    let set = sets.get(key);
    if (!set) sets.set(key, (set = { frames: [], total: entry.meta.totalFrames }));
    set.frames.push(frame);
  }
  let spread = 0;
  for (const { frames, total } of sets.values()) spread = Math.max(spread, circularSpread(frames, total));
  return spread;
}

/** Ticks, draw times, tier, spread, players, canvases and memory, as of now. */
export function collectMetrics(players: ReadonlySet<StagePlayer>, { drawRate, viewport, canvases, backends }: MetricsParts): StageMetrics {
  let drawing = 0;
  let visible = 0;
  for (const player of players) {
    if (player.box.visible) visible += 1;
    if (player.load.spec && player.load.entry && player.surface.shownFrame >= 0) drawing += 1;
  }
  const now = performance.now();
  const { leased, idle } = canvases.counts;
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return {
    ...drawRate.recorder.summary(now),
    tierFps: drawRate.tierFps,
    tierSource: drawRate.source,
    pixelRatio: viewport.pixelRatio,
    spread: spreadOf(players),
    playersTotal: players.size,
    playersVisible: visible,
    playersDrawing: drawing,
    playersSandboxed: backends.expressions.sandboxed,
    canvasesLeased: leased,
    canvasesIdle: idle,
    renderers: backends.all.reduce((sum, backend) => sum + backend.rendererCount, 0),
    workers: backends.workers,
    workersStarted: backends.workersStarted,
    workerDrawTimeP95: backends.workerCost(0.95, now),
    heapBytes: memory ? memory.usedJSHeapSize : null,
  };
}
