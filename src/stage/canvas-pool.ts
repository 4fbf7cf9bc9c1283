/**
 * The stage's canvases. A player borrows one sized to its box and gives it
 * back when it leaves; returned canvases are kept for reuse up to `maxIdle`,
 * and the rest are shrunk to nothing so their memory goes at once.
 */
export class CanvasPool {
  private readonly idle: HTMLCanvasElement[] = [];
  private leasedCount = 0;

  constructor(readonly maxIdle = 8) {}

  acquire(width: number, height: number): HTMLCanvasElement {
    const canvas = this.idle.pop() ?? document.createElement('canvas');
    canvas.setAttribute('part', 'canvas');
    canvas.width = width;
    canvas.height = height;
    this.leasedCount += 1;
    return canvas;
  }

  release(canvas: HTMLCanvasElement): void {
    canvas.remove();
    this.leasedCount -= 1;
    if (this.idle.length < this.maxIdle) {
      canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
      this.idle.push(canvas);
    } else {
      canvas.width = 0;
      canvas.height = 0;
    }
  }

  /** Canvases lent out now. */
  get leased(): number {
    return this.leasedCount;
  }

  /** Canvases kept for reuse. */
  get available(): number {
    return this.idle.length;
  }
}
