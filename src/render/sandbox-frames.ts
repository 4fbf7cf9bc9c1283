import { canvasIds } from './draw-jobs.js';

/** One job of a tick the page sent the sandbox: renderer `key`'s `frame`, of `width` x `height`, for canvases `ids`. */
export type ExpectedJob = readonly [key: string, frame: number, ids: readonly number[], width: number, height: number];

/** One frame the sandbox drew: renderer `key`'s `frame`. */
type SandboxFrame = readonly [key: string, frame: number, bitmap: ImageBitmap];

const closeAll = (frames: readonly SandboxFrame[]) => {
  for (const [, , bitmap] of frames) bitmap.close();
};

/** Ticks the sandbox may answer out of step with the page's word of them (at most this many are remembered). */
const REMEMBERED = 4;

/**
 * A render worker's end of the sandbox realm's channel (files with
 * expressions): the sandbox's worker sends each tick's frames here, one bitmap
 * per distinct frame, and the page says, on its own channel, which frames the
 * tick asked for and which canvases show each. A frame is shown only if the
 * page asked for it, at the renderer's size; anything else is closed. So the
 * sandbox, whatever a file's expressions do there, can draw nothing but its
 * own players' frames. The two channels are not ordered with each other: the
 * first of a tick's two messages waits for the other. Each tick the page asked
 * for is confirmed, with the canvases whose frame did not come (dropped, or
 * its message lost or unreadable: the page draws those again). DOM-free.
 */
export class SandboxFrames {
  private readonly expected = new Map<number, readonly ExpectedJob[]>();
  private readonly early = new Map<number, readonly SandboxFrame[]>();

  constructor(
    private readonly port: MessagePort,
    /** Shows a bitmap in canvases (the caller closes it when nothing keeps it). */
    private readonly show: (bitmap: ImageBitmap, ids: readonly number[]) => void,
    /** Tick `seq` is done: `lost` are the canvases whose frame it did not show. */
    private readonly confirm: (seq: number, lost: readonly number[]) => void = () => {},
  ) {
    port.onmessage = (event: MessageEvent<unknown>) => this.receive(event.data);
    // A message that cannot be read is a tick's frames lost: every tick still waiting for its frames is.
    port.onmessageerror = () => this.forgetBefore(this.expected, Infinity, this.lostTick);
  }

  /** The page's word of tick `seq`: its jobs. */
  expect(seq: number, jobs: readonly ExpectedJob[]): void {
    const early = this.early.get(seq);
    if (early) {
      this.early.delete(seq);
      this.match(seq, jobs, early);
      return;
    }
    this.expected.set(seq, jobs);
    this.forgetBefore(this.expected, seq - REMEMBERED, this.lostTick);
  }

  /** Canvases cleared (given back, maybe to another player): frames still on their way are not shown in them. */
  forget(ids: readonly number[]): void {
    if (ids.length === 0 || this.expected.size === 0) return;
    const cleared = new Set(ids);
    for (const [seq, jobs] of this.expected)
      this.expected.set(
        seq,
        jobs.map(([key, frame, shownIn, width, height]) => [key, frame, shownIn.filter((id) => !cleared.has(id)), width, height] as const),
      );
  }

  /** Ends the channel (the stage's link to the sandbox ended); frames kept for a later word are closed. */
  close(): void {
    this.port.onmessage = null;
    this.port.onmessageerror = null;
    this.port.close();
    for (const frames of this.early.values()) closeAll(frames);
    this.early.clear();
    this.expected.clear();
  }

  private receive(data: unknown): void {
    const frames = SandboxFrames.framesOf(data);
    if (!frames) return;
    const { seq, items } = frames;
    // The sandbox answers its ticks in order: one still waiting for its frames, before this one, lost them.
    this.forgetBefore(this.expected, seq, this.lostTick);
    const jobs = this.expected.get(seq);
    if (jobs) {
      this.expected.delete(seq);
      this.match(seq, jobs, items);
      return;
    }
    const replaced = this.early.get(seq);
    if (replaced) closeAll(replaced);
    this.early.set(seq, items);
    this.forgetBefore(this.early, seq - REMEMBERED, closeAll);
  }

  /** A `frames` message's tick and its [key, frame, bitmap] items (others are dropped, their bitmaps closed); null if it is not one. */
  private static framesOf(data: unknown): { seq: number; items: SandboxFrame[] } | null {
    if (typeof data !== 'object' || data === null) return null;
    const { t, seq, frames } = data as { t?: unknown; seq?: unknown; frames?: unknown };
    if (t !== 'frames' || typeof seq !== 'number' || !Number.isInteger(seq) || !Array.isArray(frames)) {
      if (Array.isArray(frames)) for (const item of frames.flat()) if (item instanceof ImageBitmap) item.close();
      return null;
    }
    const items: SandboxFrame[] = [];
    for (const item of frames) {
      if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'number' && item[2] instanceof ImageBitmap)
        items.push([item[0], item[1], item[2]]);
      else if (Array.isArray(item)) for (const part of item) if (part instanceof ImageBitmap) part.close();
    }
    return { seq, items };
  }

  /** Shows each frame the jobs asked for, at its renderer's size, in the job's canvases; closes the rest; confirms tick `seq`. */
  private match(seq: number, jobs: readonly ExpectedJob[], items: readonly SandboxFrame[]): void {
    const shown = new Set<string>();
    for (const [key, frame, bitmap] of items) {
      const job = jobs.find(([k, f]) => k === key && f === frame);
      const id = `${frame} ${key}`;
      if (!job || shown.has(id) || bitmap.width !== job[3] || bitmap.height !== job[4]) {
        bitmap.close();
        continue;
      }
      shown.add(id);
      this.show(bitmap, job[2]);
    }
    this.confirm(seq, canvasIds(jobs.filter(([key, frame]) => !shown.has(`${frame} ${key}`))));
  }

  /** Tick `seq`'s frames never came: all its canvases are lost. */
  private readonly lostTick = (jobs: readonly ExpectedJob[], seq: number) => this.confirm(seq, canvasIds(jobs));

  private forgetBefore<T>(map: Map<number, T>, seq: number, drop: (value: T, key: number) => void): void {
    for (const [key, value] of map) {
      if (key >= seq) continue;
      map.delete(key);
      drop(value, key);
    }
  }
}
