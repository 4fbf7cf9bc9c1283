import { quantile } from '../../clock/draw-recorder.js';
import { LottieSyncError } from '../../errors.js';
import type { DrawJob } from '../../render/draw-jobs.js';
import type { ExpectedJob } from '../../render/sandbox-frames.js';
import type { FromWorker, ToWorker } from '../../worker/protocol.js';
import { startRenderWorker } from '../../worker/worker-source.js';
import { CanvasPool, type CanvasKind } from './canvas-pool.js';
import { RendererHandles } from './renderer-handles.js';
import { SurfaceLayout, type SurfaceOptions } from './surface-layout.js';
import type { DrawAnswer, DrawBackend, HeldRenderer, RendererRequest } from './draw-backend.js';

/** A tick sent to the worker and not yet answered. */
interface PendingTick {
  readonly seq: number;
  readonly sentAt: number;
  readonly answer: (answer: DrawAnswer) => void;
}

/** The worker showed the sandbox's tick `seq`, but for the canvases `lost` (their frames did not come). */
export type SandboxShown = (seq: number, lost: readonly number[]) => void;

let shardCount = 0;

/** Canvases a worker keeps at 0 x 0 for reuse (see CanvasPool). */
const MAX_SPARE_CANVASES = 4096;

/**
 * One render worker on the main thread's side: the canvases handed to it (its
 * own pool: a transferred canvas can only ever be drawn by this worker), the
 * files and renderers it holds, and the tick it is drawing.
 */
export class WorkerShard implements DrawBackend {
  readonly id = (shardCount += 1);
  readonly pool: CanvasPool;
  /** On a surface: canvases of their own, drawn by this worker, for players the surface cannot show. */
  readonly ownPool: CanvasPool | null;
  private pending: PendingTick | null = null;
  private readonly worker: Worker;
  private readonly canvasIds = new WeakMap<HTMLCanvasElement, number>();
  private nextCanvasId = 1;
  private sizes: number[] = [];
  private clears: number[] = [];
  private readonly surface: SurfaceLayout | null = null;
  private readonly handles = new RendererHandles();
  private seq = 0;
  private sandboxShown: SandboxShown | null = null;
  private costs: { at: number; ms: number }[] = [];
  private dead = false;

  constructor(
    workerUrl: string | null,
    frameMemoryBytes: number,
    private onFailure: (shard: WorkerShard, message: string) => void,
    surfaceOptions: SurfaceOptions | null = null,
  ) {
    this.worker = startRenderWorker(workerUrl);
    this.worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.receive(event.data));
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(event.message || 'the worker script failed to load or threw');
    });
    this.worker.addEventListener('messageerror', () => this.fail('a message from the worker could not be read'));
    this.post({ t: 'memory', bytes: frameMemoryBytes });
    if (surfaceOptions) this.surface = this.attachSurface(surfaceOptions);
    // On a surface a player's canvas is a stand-in: it keeps the player's place, and its pixels are a tile of the surface.
    this.pool = new CanvasPool(this.canvasKind(this.surface !== null), 8, MAX_SPARE_CANVASES);
    this.ownPool = this.surface ? new CanvasPool(this.canvasKind(false), 8, MAX_SPARE_CANVASES) : null;
  }

  /** Canvases of this worker: handed to it (drawn there), or stand-ins for tiles of its surface. */
  private canvasKind(standIn: boolean): CanvasKind {
    const ids = this.canvasIds;
    const forget = (id: number) => this.surface?.forget(id);
    return {
      create: () => {
        const canvas = document.createElement('canvas');
        const id = this.nextCanvasId++;
        ids.set(canvas, id);
        if (standIn) {
          canvas.width = canvas.height = 0;
          return canvas;
        }
        const offscreen = canvas.transferControlToOffscreen();
        this.post({ t: 'canvas', id, canvas: offscreen }, [offscreen]);
        return canvas;
      },
      resize: (canvas, width, height) => {
        if (!standIn) this.sizes.push(ids.get(canvas)!, width, height);
      },
      clear: (canvas) => {
        const id = ids.get(canvas)!;
        this.clears.push(id);
        forget(id);
      },
      destroy: (canvas) => {
        const id = ids.get(canvas)!;
        forget(id);
        this.post({ t: 'drop', id });
      },
    };
  }

  /** Hands the stage's surfaces to the worker; the layout measures what they show. */
  private attachSurface(options: SurfaceOptions): SurfaceLayout {
    const canvases = options.elements.map((element) => element.transferControlToOffscreen());
    this.post({ t: 'surface', canvases }, canvases);
    return new SurfaceLayout(options, () => this.busy);
  }

  /** No stage holds this worker (it is parked): a failure just ends it. */
  orphan(): void {
    this.onFailure = () => {};
  }

  /** A stage takes this worker (a new one, or one parked by a stage that left the page). */
  adopt(frameMemoryBytes: number, onFailure: (shard: WorkerShard, message: string) => void): void {
    this.onFailure = onFailure;
    this.setFrameMemory(frameMemoryBytes);
    this.resetCosts();
  }

  private post(message: ToWorker, transfer: Transferable[] = []): void {
    if (!this.dead) this.worker.postMessage(message, transfer);
  }

  /** Ends the worker and reports it (a crash, a start failure, the watchdog). */
  fail(message: string): void {
    if (this.dead) return;
    this.terminate();
    this.onFailure(this, message);
  }

  get alive(): boolean {
    return !this.dead;
  }

  setFrameMemory(bytes: number): void {
    this.post({ t: 'memory', bytes });
  }

  /** lottie-web instances held in the worker. */
  get rendererCount(): number {
    return this.handles.size;
  }

  /** Files whose renderer the worker is still building. */
  get building(): string[] {
    return this.handles.building;
  }

  hasFile(url: string): boolean {
    return this.handles.hasFile(url);
  }

  canvasId(canvas: HTMLCanvasElement): number | undefined {
    return this.canvasIds.get(canvas);
  }

  rendererKey(url: string, width: number, height: number): string {
    return `w${this.id} ${width}x${height} ${url}`;
  }

  acquireRenderer({ entry, width, height, assets }: RendererRequest): HeldRenderer {
    const key = this.rendererKey(entry.url, width, height);
    const { ready, gen, created, firstOfFile } = this.handles.acquire(key, entry.url);
    // The file's text crosses once per worker; every renderer of it parses its own copy there.
    if (firstOfFile) this.post({ t: 'file', url: entry.url, text: entry.text });
    if (created) this.post({ t: 'renderer', key, gen, url: entry.url, width, height, assets });
    return { key, ready };
  }

  releaseRenderer(key: string): void {
    const dropped = this.handles.release(key);
    if (!dropped) return;
    this.post({ t: 'release', key });
    if (dropped.lastOfFile) this.post({ t: 'forget', url: dropped.url });
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  /** Sends one tick's jobs (with the sizes and clears queued since the last one). */
  submit(jobs: readonly DrawJob[], answer: (answer: DrawAnswer) => void, now: number): void {
    this.surface?.measure();
    // Measuring found the surface too large: the stage has moved its players elsewhere.
    if (this.dead) return;
    this.seq += 1;
    this.pending = { seq: this.seq, sentAt: now, answer };
    this.post({
      t: 'tick',
      seq: this.seq,
      sizes: this.sizes,
      clears: this.clears,
      surface: this.surface?.take(this.seq) ?? null,
      jobs,
    });
    this.sizes = [];
    this.clears = [];
  }

  /**
   * The sandbox realm sends the frames for canvases of this worker on `port`
   * (null: no more); `shown` hears of each of its ticks the worker showed, and
   * of the canvases whose frames did not come.
   */
  linkSandbox(port: MessagePort | null, shown: SandboxShown | null = null): void {
    this.sandboxShown = shown;
    this.post({ t: 'sandbox', port }, port ? [port] : []);
  }

  /**
   * The sandbox's tick `seq` asks for these frames, for these canvases of this
   * worker; sent with the sizes and clears queued so far, which they need first.
   */
  expect(seq: number, jobs: readonly ExpectedJob[]): void {
    this.post({ t: 'expect', seq, sizes: this.sizes, clears: this.clears, jobs });
    this.sizes = [];
    this.clears = [];
  }

  /** Whether canvas sizes, clears or tile places wait for the next tick. */
  get hasQueued(): boolean {
    return this.sizes.length > 0 || this.clears.length > 0 || (this.surface?.hasQueued ?? false);
  }

  /** Whether this shard draws its players as tiles of a stage surface. */
  get drawsSurface(): boolean {
    return this.surface !== null;
  }

  /** On a surface: `canvas` (a stand-in from `pool`, not one of `ownPool`) stands in for `element`, whose place on the page is its tile's. */
  follow(canvas: HTMLCanvasElement, element: HTMLElement): void {
    const id = this.canvasIds.get(canvas);
    if (id !== undefined) this.surface?.follow(id, element);
  }

  /** Forgets the timings (after a split they describe a load the shard no longer has). */
  resetCosts(): void {
    this.costs = [];
  }

  /** The tick in flight is given a fresh deadline (the page itself was stalled). */
  extendDeadline(now: number): void {
    if (this.pending) this.pending = { ...this.pending, sentAt: now };
  }

  /** The `q` quantile of the worker's own time per tick (its drawing) over the last second (ms). */
  costP(q: number, now: number): number {
    this.costs = this.costs.filter((cost) => cost.at > now - 1000);
    return quantile(
      this.costs.map((cost) => cost.ms),
      q,
    );
  }

  private receive(message: FromWorker): void {
    if (this.dead) return;
    if (message.t === 'sandbox-shown') return this.sandboxShown?.(message.seq, message.lost);
    if (message.t === 'drawn') {
      const pending = this.pending;
      if (!pending || pending.seq !== message.seq) return;
      this.pending = null;
      this.surface?.drawn(message.seq);
      this.costs.push({ at: performance.now(), ms: message.ms });
      pending.answer({ renders: message.renders, missed: [...message.missed], ms: message.ms });
      return;
    }
    const error =
      message.t === 'ready'
        ? null
        : new LottieSyncError('render-failed', `lottie-web could not build the file in the worker: ${message.message}`);
    this.handles.settle(message.key, message.gen, error);
  }

  /** Ends the worker; its canvases are gone with it. */
  terminate(): void {
    if (this.dead) return;
    this.dead = true;
    // A surface would keep its last picture: it goes with its worker.
    this.surface?.stop();
    this.worker.terminate();
    this.pending = null;
    this.handles.rejectAll(new LottieSyncError('render-failed', 'The render worker stopped.'));
  }

  /** A watchdog: the worker has not answered a tick for this long. */
  overdue(now: number, limitMs: number): boolean {
    return this.pending !== null && now - this.pending.sentAt > limitMs;
  }
}
