import lottie from 'lottie-web/build/player/esm/lottie_canvas.min.js';
import type { AnimationItem } from 'lottie-web';
import type { AnimationEntry } from '../data/animation-cache.js';
import { LottieSyncError } from '../errors.js';

/** Where lottie-web should look for image assets that are not embedded. */
function assetsPathFor(entry: AnimationEntry): string | undefined {
  const folder = entry.meta.imageFolder;
  return folder === null ? undefined : new URL(folder, entry.url).href;
}

/**
 * One lottie-web canvas renderer drawing one file at one pixel size into a
 * canvas of its own. Its output is copied to every player that shows the same
 * frame, so a stage holds one lottie-web instance per (file, size), not one
 * per player. lottie-web never runs its own loop: it is created paused and
 * frames are set from outside.
 */
export class FrameRenderer {
  readonly canvas: HTMLCanvasElement;
  /** Resolves when lottie-web has loaded the file's images and fonts. */
  readonly ready: Promise<void>;
  private readonly animation: AnimationItem;
  private drawnFrame = -1;

  constructor(entry: AnimationEntry, width: number, height: number) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    const context = this.canvas.getContext('2d');
    if (!context) throw new LottieSyncError('render-failed', 'The browser gave no 2D canvas context.');
    try {
      this.animation = lottie.loadAnimation({
        renderer: 'canvas',
        loop: false,
        autoplay: false,
        animationData: entry.takeData(),
        assetsPath: assetsPathFor(entry),
        rendererSettings: { context, clearCanvas: true, dpr: 1, preserveAspectRatio: 'xMidYMid meet' },
      } as Parameters<typeof lottie.loadAnimation>[0]);
    } catch (cause) {
      throw new LottieSyncError('render-failed', `lottie-web could not build ${entry.url}: ${(cause as Error).message}`);
    }
    this.animation.setSubframe(false);
    this.ready = new Promise<void>((resolve, reject) => {
      // lottie-web sized itself from the canvas when it was configured; resizing
      // again would reset the canvas state that lottie-web caches (fill styles).
      if (this.animation.isLoaded) resolve();
      else {
        this.animation.addEventListener('DOMLoaded', () => resolve());
        this.animation.addEventListener('data_failed', () =>
          reject(new LottieSyncError('render-failed', `lottie-web could not load ${entry.url}.`)),
        );
      }
    });
  }

  /** Draws `frame` (counted from the file's in-point) unless it is already drawn. */
  draw(frame: number): HTMLCanvasElement {
    if (frame !== this.drawnFrame) {
      this.animation.goToAndStop(frame, true);
      this.drawnFrame = frame;
    }
    return this.canvas;
  }

  destroy(): void {
    this.animation.destroy();
    this.canvas.width = 0;
    this.canvas.height = 0;
  }
}

/** Renderers shared by key (file and pixel size), counted and destroyed when unused. */
export class RendererSet {
  private readonly renderers = new Map<string, { renderer: FrameRenderer; refs: number }>();

  static keyOf(url: string, width: number, height: number): string {
    return `${width}x${height} ${url}`;
  }

  acquire(entry: AnimationEntry, width: number, height: number): FrameRenderer {
    const key = RendererSet.keyOf(entry.url, width, height);
    let held = this.renderers.get(key);
    if (!held) {
      held = { renderer: new FrameRenderer(entry, width, height), refs: 0 };
      this.renderers.set(key, held);
    }
    held.refs += 1;
    return held.renderer;
  }

  get(key: string): FrameRenderer | undefined {
    return this.renderers.get(key)?.renderer;
  }

  release(key: string): void {
    const held = this.renderers.get(key);
    if (!held) return;
    held.refs -= 1;
    if (held.refs === 0) {
      held.renderer.destroy();
      this.renderers.delete(key);
    }
  }

  /** Number of lottie-web instances alive. */
  get size(): number {
    return this.renderers.size;
  }
}
