import { RendererSet } from '../../render/frame-renderer.js';
import { pageLottie } from '../../render/page-lottie.js';
import { copyTo, runJobs, type DrawJob } from '../../render/draw-jobs.js';
import type { DrawAnswer, DrawBackend, HeldRenderer, RendererRequest } from './draw-backend.js';
import { PageCanvases } from './page-canvases.js';

/**
 * The page's main thread as a place to draw: lottie-web renderers of this page
 * (sharing the thread's frame memory with every stage) and canvases it draws
 * into directly. It draws a tick as it is submitted.
 */
export class MainThreadBackend implements DrawBackend {
  constructor(
    /** Its renderers (the page's realm: lottie-web without expressions, loaded when first needed). */
    readonly renderers = new RendererSet(pageLottie),
  ) {}

  readonly alive = true;
  readonly busy = false;
  readonly hasQueued = false;
  private readonly canvases = new PageCanvases();
  readonly pool = this.canvases.pool;

  canvasId(canvas: HTMLCanvasElement): number | undefined {
    return this.canvases.idOf(canvas);
  }

  rendererKey(url: string, width: number, height: number): string {
    return RendererSet.keyOf(url, width, height);
  }

  acquireRenderer({ entry, width, height, assets }: RendererRequest): HeldRenderer {
    const key = this.rendererKey(entry.url, width, height);
    const renderer = this.renderers.acquire(key, width, height, () => ({
      url: entry.url,
      data: entry.takeData(),
      assets,
    }));
    return { key, ready: renderer.ready };
  }

  releaseRenderer(key: string): void {
    this.renderers.release(key);
  }

  get rendererCount(): number {
    return this.renderers.size;
  }

  submit(jobs: readonly DrawJob[], answer: (answer: DrawAnswer) => void): void {
    const started = performance.now();
    const drawn = runJobs(
      jobs,
      this.renderers,
      copyTo((id) => this.canvases.context(id)),
    );
    answer({ ...drawn, ms: performance.now() - started });
  }
}
