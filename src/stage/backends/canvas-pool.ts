/** How a pool makes, sizes, clears and frees its canvases (on the main thread, or through a worker). */
export interface CanvasKind {
  create(): HTMLCanvasElement;
  resize(canvas: HTMLCanvasElement, width: number, height: number): void;
  /** Clears a canvas coming back to the pool. */
  clear(canvas: HTMLCanvasElement): void;
  /** Frees a canvas the pool does not keep. */
  destroy(canvas: HTMLCanvasElement): void;
}

/** Canvases drawn on by the main thread. */
export const mainThreadCanvases: CanvasKind = {
  create: () => document.createElement('canvas'),
  resize(canvas, width, height) {
    canvas.width = width;
    canvas.height = height;
  },
  clear: (canvas) => canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height),
  destroy(canvas) {
    canvas.width = 0;
    canvas.height = 0;
  },
};

/**
 * A stage's canvases of one kind. A player borrows one sized to its box and
 * gives it back when it leaves; returned canvases are kept for reuse up to
 * `maxIdle`. Past that they are freed, or, up to `maxSpare`, kept at 0 x 0
 * pixels: a canvas handed to a worker costs the browser some memory for as
 * long as the page lives, whatever is done with it, so a worker's pool reuses
 * its canvases rather than transferring new ones.
 */
export class CanvasPool {
  private readonly idle: HTMLCanvasElement[] = [];
  private readonly spare: HTMLCanvasElement[] = [];
  /** Sizes as set through the pool (a canvas handed to a worker cannot be asked). */
  private readonly sizes = new WeakMap<HTMLCanvasElement, readonly [number, number]>();
  private leasedCount = 0;

  constructor(
    private readonly kind: CanvasKind = mainThreadCanvases,
    readonly maxIdle = 8,
    readonly maxSpare = 0,
  ) {}

  acquire(width: number, height: number): HTMLCanvasElement {
    const canvas = this.idle.pop() ?? this.spare.pop() ?? this.kind.create();
    canvas.setAttribute('part', 'canvas');
    this.resize(canvas, width, height);
    this.leasedCount += 1;
    return canvas;
  }

  /** Gives `canvas` this size; false if it had it already. */
  resize(canvas: HTMLCanvasElement, width: number, height: number): boolean {
    const size = this.sizes.get(canvas);
    if (size && size[0] === width && size[1] === height) return false;
    this.sizes.set(canvas, [width, height]);
    this.kind.resize(canvas, width, height);
    return true;
  }

  release(canvas: HTMLCanvasElement): void {
    canvas.remove();
    this.leasedCount -= 1;
    if (this.idle.length < this.maxIdle) {
      this.kind.clear(canvas);
      this.idle.push(canvas);
    } else if (this.spare.length < this.maxSpare) {
      // Cleared too: a stand-in's pixels are a tile of a surface, which a size of 0 x 0 does not reach.
      this.kind.clear(canvas);
      this.resize(canvas, 0, 0);
      this.spare.push(canvas);
    } else {
      this.sizes.delete(canvas);
      this.kind.destroy(canvas);
    }
  }

  /** Canvases lent out now. */
  get leased(): number {
    return this.leasedCount;
  }

  /** Canvases kept for reuse at their size. */
  get available(): number {
    return this.idle.length;
  }

  /** Canvases kept at 0 x 0 for reuse. */
  get spares(): number {
    return this.spare.length;
  }
}
