import { canvasIds, type DrawJob } from '../../render/draw-jobs.js';

/**
 * How long after the sandbox answered a tick its render worker may take to say
 * it showed the frames (they were sent before the answer); past it, they are
 * taken for lost and drawn again.
 */
const SHOWN_WITHIN_MS = 2000;

interface SentTick {
  readonly jobs: readonly DrawJob[];
  /** When the sandbox answered (null: not yet), and the jobs it said it did not draw ("frame key"). */
  answeredAt: number | null;
  missed: ReadonlySet<string>;
  /** What the worker said it could not show (null: it has not said yet). */
  lost: readonly number[] | null;
}

/**
 * The sandbox's ticks on their way to the render worker that shows them (a
 * stage surface, or a worker's canvases): the frames go from the sandbox to the
 * worker and the answer to the page on two channels, so the page also hears
 * from the worker which frames it showed. A canvas whose frame never came (its
 * message lost or unreadable, or dropped) is named to `lost`, so its player is
 * drawn again rather than left on an old frame while the stage is paused. Jobs
 * the sandbox itself reported missed are the tick's answer's to handle.
 */
export class ShownTicks {
  private readonly ticks = new Map<number, SentTick>();

  constructor(private readonly lost: (ids: readonly number[]) => void) {}

  /** Ticks not yet settled (answered by the sandbox and shown, or taken for lost). */
  get size(): number {
    return this.ticks.size;
  }

  sent(seq: number, jobs: readonly DrawJob[]): void {
    this.ticks.set(seq, { jobs, answeredAt: null, missed: new Set(), lost: null });
  }

  /** The sandbox answered tick `seq` at `now`; `missed` are the jobs it did not draw. */
  answered(seq: number, missed: readonly (readonly [key: string, frame: number, ...unknown[]])[], now: number): void {
    const tick = this.ticks.get(seq);
    if (!tick) return;
    tick.answeredAt = now;
    tick.missed = new Set(missed.map(([key, frame]) => `${frame} ${key}`));
    this.settle(seq, tick);
  }

  /** The worker showed tick `seq`, but for the canvases `lost`. */
  shown(seq: number, lost: readonly number[]): void {
    const tick = this.ticks.get(seq);
    if (!tick) return;
    tick.lost = lost;
    this.settle(seq, tick);
  }

  /** Ticks answered over SHOWN_WITHIN_MS before `now` that the worker never spoke of: all their frames are lost. */
  expire(now: number): void {
    for (const [seq, tick] of this.ticks) {
      if (tick.answeredAt === null || now - tick.answeredAt <= SHOWN_WITHIN_MS) continue;
      tick.lost = canvasIds(tick.jobs);
      this.settle(seq, tick);
    }
  }

  /** The page itself was stalled: the worker's word is waited for afresh. */
  extend(now: number): void {
    for (const tick of this.ticks.values()) if (tick.answeredAt !== null) tick.answeredAt = now;
  }

  clear(): void {
    this.ticks.clear();
  }

  private settle(seq: number, tick: SentTick): void {
    if (tick.answeredAt === null || tick.lost === null) return;
    this.ticks.delete(seq);
    if (tick.lost.length === 0) return;
    const answered = new Set(canvasIds(tick.jobs.filter(([key, frame]) => tick.missed.has(`${frame} ${key}`))));
    const lost = tick.lost.filter((id) => !answered.has(id));
    if (lost.length > 0) this.lost(lost);
  }
}
