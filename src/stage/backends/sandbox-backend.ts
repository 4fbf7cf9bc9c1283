import type { AnimationEntry } from '../../data/animation-cache.js';
import { applyAssets, BLANK_IMAGE, type AssetSource } from '../../data/asset-policy.js';
import { LottieSyncError } from '../../errors.js';
import type { DrawJob, DrawMiss } from '../../render/draw-jobs.js';
import type { FromSandbox, ToSandbox } from '../../sandbox/sandbox-protocol.js';
import { connectSandbox } from '../../sandbox/sandbox-realm.js';
import type { CanvasPool } from './canvas-pool.js';
import type { DrawAnswer, DrawBackend, HeldRenderer, RendererRequest } from './draw-backend.js';
import { PageCanvases } from './page-canvases.js';
import { RendererHandles } from './renderer-handles.js';
import { ShownTicks } from './shown-ticks.js';
import type { WorkerShard } from './worker-shard.js';

/** Largest side of a bitmap the sandbox may send (a player's canvas is never larger). */
const MAX_SIDE = 8192;

interface PendingTick {
  readonly seq: number;
  sentAt: number;
  readonly jobs: readonly DrawJob[];
  readonly answer: (answer: DrawAnswer) => void;
}

/** An image's source inlined as a data URI: the sandbox makes no requests. */
async function inlined(src: string): Promise<string> {
  if (src.startsWith('data:')) return src;
  try {
    const response = await fetch(src);
    if (!response.ok) return BLANK_IMAGE;
    const blob = await response.blob();
    return await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : BLANK_IMAGE);
      reader.onerror = () => resolve(BLANK_IMAGE);
      reader.readAsDataURL(blob);
    });
  } catch {
    return BLANK_IMAGE;
  }
}

let sandboxCount = 0;

/**
 * Files with expressions, drawn in the sandbox realm (see sandbox-realm.ts):
 * the sandbox draws a tick's jobs into one bitmap per distinct frame. With a
 * `presenter` (a render worker of the stage) the players' canvases are that
 * worker's, or its surface's tiles, and the sandbox sends the bitmaps straight
 * to it on a channel of their own; this side tells the worker which frames
 * each tick asked for and for which canvases (SandboxFrames checks them there),
 * so the page's main thread neither copies nor carries them (copying them into
 * 90 page canvases was a third of its time for `mix20`; canvases cannot be
 * handed to the sandbox itself, see docs/architecture.md). Without one
 * (`render="main"`) the bitmaps come here and the page copies each into the
 * canvases that show it. Everything the sandbox sends is checked: a tick it
 * did not ask for, a bitmap of the wrong size or a frame it was not asked for
 * is dropped.
 */
export class SandboxBackend implements DrawBackend {
  readonly id = (sandboxCount += 1);
  private readonly canvases = new PageCanvases();
  readonly pool: CanvasPool;
  readonly ownPool: CanvasPool | null;
  readonly hasQueued = false;
  private readonly port: MessagePort;
  private readonly handles = new RendererHandles();
  /** Renderer sizes by key, to check what comes back. */
  private readonly sizes = new Map<string, readonly [number, number]>();
  /** Each file's text, sent once (with its images inlined): renderers are asked for once it is on its way. */
  private readonly files = new Map<string, Promise<void>>();
  private pending: PendingTick | null = null;
  /** With a presenter: the ticks it has not yet said it showed. */
  private readonly unshown: ShownTicks;
  private seq = 0;
  private dead = false;

  constructor(
    frameMemoryBytes: number,
    private readonly onFailure: (backend: SandboxBackend, message: string) => void,
    /** The render worker whose canvases (or surface) show the sandbox's frames; null: the page's canvases. */
    readonly presenter: WorkerShard | null = null,
    /** Canvases whose frames never reached the presenter: their players are drawn again. */
    onLost: (ids: readonly number[]) => void = () => {},
  ) {
    this.unshown = new ShownTicks(onLost);
    this.pool = presenter?.pool ?? this.canvases.pool;
    this.ownPool = presenter?.ownPool ?? null;
    this.port = connectSandbox();
    this.port.onmessage = (event: MessageEvent<unknown>) => this.receive(event.data);
    this.port.onmessageerror = () => this.fail('the sandbox could not be started');
    this.post({ t: 'memory', bytes: frameMemoryBytes });
    if (presenter) {
      // The sandbox sends its frames straight to the render worker: they never cross this thread.
      const channel = new MessageChannel();
      this.post({ t: 'present', port: channel.port1 }, [channel.port1]);
      presenter.linkSandbox(channel.port2, (seq, lost) => {
        if (!this.dead) this.unshown.shown(seq, lost);
      });
    }
  }

  get alive(): boolean {
    return !this.dead;
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  /** Drawing a tick, or its frames are on their way to the presenter. */
  get waiting(): boolean {
    return this.pending !== null || this.unshown.size > 0;
  }

  get rendererCount(): number {
    return this.handles.size;
  }

  private post(message: ToSandbox, transfer: Transferable[] = []): void {
    if (!this.dead) this.port.postMessage(message, transfer);
  }

  canvasId(canvas: HTMLCanvasElement): number | undefined {
    return this.presenter ? this.presenter.canvasId(canvas) : this.canvases.idOf(canvas);
  }

  /** On a presenter's surface: `canvas` stands in for `element`, whose place is its tile's. */
  follow(canvas: HTMLCanvasElement, element: HTMLElement): void {
    this.presenter?.follow(canvas, element);
  }

  rendererKey(url: string, width: number, height: number): string {
    return `s${this.id} ${width}x${height} ${url}`;
  }

  acquireRenderer({ entry, width, height, assets }: RendererRequest): HeldRenderer {
    const key = this.rendererKey(entry.url, width, height);
    const { ready, created, gen } = this.handles.acquire(key, entry.url);
    if (created) {
      this.sizes.set(key, [width, height]);
      let sent = this.files.get(entry.url);
      if (!sent) this.files.set(entry.url, (sent = this.sendFile(entry, assets)));
      void sent.then(() => {
        if (this.handles.genOf(key) === gen) this.post({ t: 'renderer', key, gen, url: entry.url, width, height, assets: [] });
      });
    }
    return { key, ready };
  }

  /** The file's text with its images inlined (the sandbox makes no requests), once per file. */
  private async sendFile(entry: AnimationEntry, assets: readonly AssetSource[]): Promise<void> {
    let text = entry.text;
    if (assets.length > 0) {
      const sources = await Promise.all(assets.map(async ([index, src]): Promise<AssetSource> => [index, await inlined(src)]));
      text = JSON.stringify(applyAssets(JSON.parse(entry.text) as object, sources));
    }
    this.post({ t: 'file', url: entry.url, text });
  }

  releaseRenderer(key: string): void {
    const dropped = this.handles.release(key);
    if (!dropped) return;
    this.sizes.delete(key);
    this.post({ t: 'release', key });
    if (!dropped.lastOfFile) return;
    this.files.delete(dropped.url);
    this.post({ t: 'forget', url: dropped.url });
  }

  submit(jobs: readonly DrawJob[], answer: (answer: DrawAnswer) => void, now: number): void {
    this.seq += 1;
    this.pending = { seq: this.seq, sentAt: now, jobs, answer };
    if (this.presenter) this.unshown.sent(this.seq, jobs);
    this.presenter?.expect(
      this.seq,
      jobs.map(([key, frame, ids]) => {
        const [width, height] = this.sizes.get(key) ?? [0, 0];
        return [key, frame, ids, width, height] as const;
      }),
    );
    this.post({ t: 'tick', seq: this.seq, jobs: jobs.map(([key, frame]) => [key, frame, []] as const) });
  }

  private receive(data: unknown): void {
    if (this.dead || typeof data !== 'object' || data === null) return;
    const message = data as FromSandbox;
    if (message.t === 'drawn') return this.drawn(message);
    if (message.t === 'ready' || message.t === 'failed') {
      if (typeof message.key !== 'string' || typeof message.gen !== 'number') return;
      if (message.t === 'ready') this.handles.settle(message.key, message.gen, null);
      else {
        const reason = typeof message.message === 'string' ? message.message.slice(0, 300) : 'unknown';
        this.handles.settle(
          message.key,
          message.gen,
          new LottieSyncError('render-failed', `lottie-web could not build the file in the sandbox: ${reason}`),
        );
      }
    }
  }

  /** The sandbox's answer to the tick in flight: each bitmap that was asked for, of the right size, goes to its canvases. */
  private drawn(message: Extract<FromSandbox, { t: 'drawn' }>): void {
    const pending = this.pending;
    if (!pending || message.seq !== pending.seq || !Array.isArray(message.frames)) return;
    if (this.presenter && message.frames.length > 0) {
      // Its frames go to the render worker: the sandbox did not take that channel.
      for (const item of message.frames) if (Array.isArray(item) && item[2] instanceof ImageBitmap) item[2].close();
      return this.fail('it sent its frames to the page instead of the render worker');
    }
    this.pending = null;
    const bitmaps = new Map<string, ImageBitmap>();
    for (const item of message.frames) {
      if (!Array.isArray(item)) continue;
      const [key, frame, bitmap] = item as unknown[];
      if (typeof key !== 'string' || typeof frame !== 'number' || !(bitmap instanceof ImageBitmap)) continue;
      const size = this.sizes.get(key);
      if (size && bitmap.width === size[0] && bitmap.height === size[1] && bitmap.width <= MAX_SIDE) bitmaps.set(`${frame} ${key}`, bitmap);
      else bitmap.close();
    }
    const missed: DrawMiss[] = [];
    const reported = (key: string, frame: number) =>
      Array.isArray(message.missed) ? message.missed.find((m) => Array.isArray(m) && m[0] === key && m[1] === frame) : undefined;
    const why = (miss: ReturnType<typeof reported>) => (typeof miss?.[2] === 'string' ? miss[2].slice(0, 300) : 'no renderer');
    for (const [key, frame, ids] of pending.jobs) {
      // With a presenter the frames went to the render worker (which shows only what this tick asked for).
      if (this.presenter) {
        const miss = reported(key, frame);
        if (miss) missed.push([key, frame, why(miss)]);
        continue;
      }
      const bitmap = bitmaps.get(`${frame} ${key}`);
      if (!bitmap) {
        missed.push([key, frame, why(reported(key, frame))]);
        continue;
      }
      for (const id of ids) {
        const context = this.canvases.context(id);
        if (!context) continue;
        context.globalCompositeOperation = 'copy';
        context.drawImage(bitmap, 0, 0);
      }
    }
    for (const bitmap of bitmaps.values()) bitmap.close();
    if (this.presenter) this.unshown.answered(pending.seq, missed, performance.now());
    const renders = typeof message.renders === 'number' && Number.isFinite(message.renders) ? message.renders : 0;
    const ms = typeof message.ms === 'number' && Number.isFinite(message.ms) ? message.ms : 0;
    pending.answer({ renders, missed, ms });
  }

  /** Frames the sandbox answered for long ago that the presenter never said it showed are taken for lost (see ShownTicks). */
  expireUnshown(now: number): void {
    this.unshown.expire(now);
  }

  /** The tick in flight, and the frames on their way to the presenter, are given a fresh deadline (the page itself was stalled). */
  extendDeadline(now: number): void {
    if (this.pending) this.pending.sentAt = now;
    this.unshown.extend(now);
  }

  /** A watchdog: the sandbox has not answered a tick for this long. */
  overdue(now: number, limitMs: number): boolean {
    return this.pending !== null && now - this.pending.sentAt > limitMs;
  }

  /** Ends this stage's link to the sandbox and reports it. */
  fail(message: string): void {
    if (this.dead) return;
    this.terminate();
    this.onFailure(this, message);
  }

  terminate(): void {
    if (this.dead) return;
    // The sandbox lets go of this stage's renderers and closes its end of both channels.
    this.post({ t: 'close' });
    this.dead = true;
    if (this.presenter?.alive) this.presenter.linkSandbox(null);
    this.pending = null;
    this.unshown.clear();
    this.port.close();
    this.handles.rejectAll(new LottieSyncError('render-failed', 'The sandbox stopped.'));
  }
}
