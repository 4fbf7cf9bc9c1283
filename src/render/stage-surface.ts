import type { RendererSet } from './frame-renderer.js';
import type { Surface, Surface2D } from './surface.js';

/** What a tick tells the worker about the stage surface. */
export interface SurfaceChanges {
  /** [surface, width, height]: that surface is laid out anew (every tile is in `places`), and drawn from now on; empty: unchanged. */
  readonly layout: readonly number[];
  /** A surface no longer shown, whose memory may be freed (-1: none). */
  readonly spare: number;
  /** Tiles that moved: id, x, y, width, height (device pixels on the surface). */
  readonly places: readonly number[];
}

/** A tile's place on the surface, in device pixels, and what was last drawn there. */
interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The renderer and frame last drawn into it (null: nothing, or `image`). */
  key: string | null;
  frame: number;
  /** A frame drawn in another realm (the sandbox's), kept to draw the tile again. */
  image: ImageBitmap | null;
}

function overlaps(a: Tile, b: Tile): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * The canvases under a whole stage (`render="surface"`), drawn by a render
 * worker: each player is a tile, at its place on the page. The browser then
 * composites one surface per stage instead of one per player, which is what a
 * worker updating hundreds of canvases pays for (bench/surfaces.mjs). There
 * are two: the one shown covers the part of the stage near the viewport, and
 * the other is laid out over another part when the page scrolls there
 * (stage/backends/surface-layout.ts decides). A tile keeps what it shows (its
 * renderer's key and frame, or the bitmap of a frame drawn in the sandbox), so
 * it can be drawn again when it moves, the surface is laid out anew, or a
 * neighbour's old place is cleared over it. DOM-free: it runs in the worker.
 */
export class StageSurface {
  private readonly contexts: Surface2D[];
  /** The surface drawn into. */
  private current = 0;
  private readonly tiles = new Map<number, Tile>();
  /** How many tiles show each bitmap: one distinct frame is shown by every tile at it, and closed when none does. */
  private readonly images = new Map<ImageBitmap, number>();

  constructor(
    private readonly canvases: readonly Surface[],
    private readonly renderers: RendererSet,
  ) {
    this.contexts = canvases.map((canvas) => {
      const context = canvas.getContext('2d') as Surface2D | null;
      if (!context) throw new Error('The browser gave no 2D context for the stage surface.');
      return context;
    });
  }

  has(id: number): boolean {
    return this.tiles.has(id);
  }

  /** A tick's changes: a new layout (every tile drawn again on it), a spare freed, tiles moved. */
  apply({ layout, spare, places }: SurfaceChanges): void {
    if (spare >= 0 && spare !== this.current && spare < this.canvases.length) {
      const canvas = this.canvases[spare]!;
      canvas.width = canvas.height = 0;
    }
    if (layout.length === 3) {
      const [index, width, height] = layout as [number, number, number];
      if (index >= this.canvases.length) return;
      this.current = index;
      const canvas = this.canvases[index]!;
      // Setting the size clears the canvas, even to the size it has.
      canvas.width = width;
      canvas.height = height;
      for (let i = 0; i + 4 < places.length; i += 5)
        this.locate(places[i]!, places[i + 1]!, places[i + 2]!, places[i + 3]!, places[i + 4]!);
      for (const tile of this.tiles.values()) this.redraw(tile);
      return;
    }
    for (let i = 0; i + 4 < places.length; i += 5) this.place(places[i]!, places[i + 1]!, places[i + 2]!, places[i + 3]!, places[i + 4]!);
  }

  /** Sets tile `id`'s place (a new tile shows nothing until drawn); true if it existed. */
  private locate(id: number, x: number, y: number, width: number, height: number): Tile | null {
    const tile = this.tiles.get(id);
    if (!tile) {
      this.tiles.set(id, { x, y, width, height, key: null, frame: -1, image: null });
      return null;
    }
    Object.assign(tile, { x, y, width, height });
    return tile;
  }

  /** Moves tile `id` (or places a new one), drawing what it shows at its new place. */
  private place(id: number, x: number, y: number, width: number, height: number): void {
    const tile = this.tiles.get(id);
    if (tile) this.clear(tile);
    if (this.locate(id, x, y, width, height)) this.redraw(tile!);
  }

  /** Clears tile `id` (its player gave its canvas back); it shows nothing until drawn again. */
  empty(id: number): void {
    const tile = this.tiles.get(id);
    if (!tile) return;
    this.clear(tile);
    tile.key = null;
    this.keep(tile, null);
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
    this.keep(tile, null);
    this.paint(tile, source);
  }

  /**
   * Shows `image` (a frame drawn in the sandbox) in tile `id`, kept while any
   * tile shows it. A tile not placed yet is made, out of sight: its place
   * comes with a later tick, and it is drawn there then.
   */
  show(id: number, image: ImageBitmap): void {
    let tile = this.tiles.get(id);
    if (!tile) this.tiles.set(id, (tile = { x: 0, y: 0, width: 0, height: 0, key: null, frame: -1, image: null }));
    tile.key = null;
    this.keep(tile, image);
    this.paint(tile, image);
  }

  /** Whether some tile shows `image` (else it can be closed). */
  holds(image: ImageBitmap): boolean {
    return this.images.has(image);
  }

  /** Sets the bitmap `tile` keeps, closing the one it kept if no other tile shows it. */
  private keep(tile: Tile, image: ImageBitmap | null): void {
    const old = tile.image;
    if (old === image) return;
    tile.image = image;
    if (image) this.images.set(image, (this.images.get(image) ?? 0) + 1);
    if (!old) return;
    const left = (this.images.get(old) ?? 1) - 1;
    if (left > 0) this.images.set(old, left);
    else {
      this.images.delete(old);
      old.close();
    }
  }

  /** Whether any of `tile` is on the surface drawn into (a tile beyond it is not drawn). */
  private visible(tile: Tile): boolean {
    const canvas = this.canvases[this.current]!;
    return (
      tile.width > 0 &&
      tile.height > 0 &&
      tile.x < canvas.width &&
      tile.y < canvas.height &&
      tile.x + tile.width > 0 &&
      tile.y + tile.height > 0
    );
  }

  private paint(tile: Tile, source: Surface | ImageBitmap): void {
    if (!this.visible(tile)) return;
    const context = this.contexts[this.current]!;
    context.globalCompositeOperation = 'source-over';
    context.clearRect(tile.x, tile.y, tile.width, tile.height);
    context.drawImage(source, tile.x, tile.y, tile.width, tile.height);
  }

  private redraw(tile: Tile): void {
    if (tile.image && this.visible(tile)) return this.paint(tile, tile.image);
    if (tile.key === null || !this.visible(tile)) return;
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
    if (!this.visible(tile)) return;
    this.contexts[this.current]!.clearRect(tile.x, tile.y, tile.width, tile.height);
    for (const other of this.tiles.values())
      if (other !== tile && (other.key !== null || other.image) && overlaps(tile, other)) this.redraw(other);
  }
}
