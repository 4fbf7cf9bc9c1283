import type { RendererSet } from './frame-renderer.js';
import type { Surface, Surface2D } from './surface.js';

/** A tile's place on the surface, in device pixels, and what was last drawn there. */
interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The renderer and frame last drawn into it (null: nothing). */
  key: string | null;
  frame: number;
}

function overlaps(a: Tile, b: Tile): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * One canvas under a whole stage (`render="surface"`), drawn by a render
 * worker: each player is a tile of it, at its place on the page. The browser
 * then composites one surface per stage instead of one per player, which is
 * what a worker updating hundreds of canvases pays for (bench/surfaces.mjs).
 * A tile keeps what it shows (its renderer's key and frame), so it can be
 * drawn again when it moves, the surface is resized, or a neighbour's old
 * place is cleared over it. DOM-free: it runs in the worker.
 */
export class StageSurface {
  private readonly context: Surface2D;
  private readonly tiles = new Map<number, Tile>();

  constructor(
    private readonly canvas: Surface,
    private readonly renderers: RendererSet,
  ) {
    const context = canvas.getContext('2d') as Surface2D | null;
    if (!context) throw new Error('The browser gave no 2D context for the stage surface.');
    this.context = context;
  }

  has(id: number): boolean {
    return this.tiles.has(id);
  }

  /** The surface's size in device pixels: resizing clears it, so every tile is drawn again. */
  resize(width: number, height: number): void {
    this.canvas.width = width;
    this.canvas.height = height;
    for (const tile of this.tiles.values()) this.redraw(tile);
  }

  /** Places tile `id` (a new one, or one that moved or changed size), drawing what it shows at its new place. */
  place(id: number, x: number, y: number, width: number, height: number): void {
    const tile = this.tiles.get(id);
    if (!tile) {
      this.tiles.set(id, { x, y, width, height, key: null, frame: -1 });
      return;
    }
    this.clear(tile);
    Object.assign(tile, { x, y, width, height });
    this.redraw(tile);
  }

  /** Clears tile `id` (its player gave its canvas back); it shows nothing until drawn again. */
  empty(id: number): void {
    const tile = this.tiles.get(id);
    if (!tile) return;
    this.clear(tile);
    tile.key = null;
  }

  /** Forgets tile `id`. */
  drop(id: number): void {
    this.empty(id);
    this.tiles.delete(id);
  }

  /** Draws `source` (renderer `key`'s `frame`) into tile `id`. */
  draw(id: number, source: Surface, key: string, frame: number): void {
    const tile = this.tiles.get(id);
    if (!tile) return;
    tile.key = key;
    tile.frame = frame;
    this.paint(tile, source);
  }

  private paint(tile: Tile, source: Surface): void {
    if (tile.width <= 0 || tile.height <= 0) return;
    const context = this.context;
    context.globalCompositeOperation = 'source-over';
    context.clearRect(tile.x, tile.y, tile.width, tile.height);
    context.drawImage(source, tile.x, tile.y, tile.width, tile.height);
  }

  private redraw(tile: Tile): void {
    if (tile.key === null) return;
    const renderer = this.renderers.get(tile.key);
    if (!renderer) {
      tile.key = null;
      return;
    }
    try {
      this.paint(tile, renderer.draw(tile.frame));
    } catch {
      // The next tick's job draws it (or reports the failure).
      tile.key = null;
    }
  }

  /** Clears a tile's area, and draws again the other tiles it overlapped. */
  private clear(tile: Tile): void {
    if (tile.width <= 0 || tile.height <= 0) return;
    this.context.clearRect(tile.x, tile.y, tile.width, tile.height);
    for (const other of this.tiles.values()) if (other !== tile && other.key !== null && overlaps(tile, other)) this.redraw(other);
  }
}
