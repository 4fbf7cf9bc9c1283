import type { Surface2D } from '../../render/surface.js';
import { CanvasPool, mainThreadCanvases } from './canvas-pool.js';

/**
 * Canvases the page draws into itself (the main thread, or bitmaps from the
 * sandbox): a pool whose canvases get an id for jobs and a 2D context kept
 * while they live.
 */
export class PageCanvases {
  private readonly ids = new WeakMap<HTMLCanvasElement, number>();
  private readonly contexts = new Map<number, Surface2D>();
  private nextId = 1;
  readonly pool = new CanvasPool({
    ...mainThreadCanvases,
    create: () => {
      const canvas = mainThreadCanvases.create();
      const context = canvas.getContext('2d');
      const id = this.nextId++;
      this.ids.set(canvas, id);
      if (context) this.contexts.set(id, context);
      return canvas;
    },
    destroy: (canvas) => {
      const id = this.ids.get(canvas);
      if (id !== undefined) this.contexts.delete(id);
      mainThreadCanvases.destroy(canvas);
    },
  });

  idOf(canvas: HTMLCanvasElement): number | undefined {
    return this.ids.get(canvas);
  }

  context(id: number): Surface2D | undefined {
    return this.contexts.get(id);
  }
}
