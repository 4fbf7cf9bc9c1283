import type { SurfaceChanges } from '../../render/stage-surface.js';
import { surfaceHidden } from './surface-cover.js';

/** Most device pixels a stage surface may have (64 MB of pixels; WebKit's limit for one canvas). */
export const MAX_SURFACE_PIXELS = 4096 * 4096;
/** How often a surface's tiles are measured while nothing is drawn (a paused stage whose layout moves). */
const IDLE_MEASURE_MS = 250;
/**
 * While drawing, tiles are measured again at once after a change in the
 * stage's subtree or size, or a scroll, and otherwise at most this often (a
 * place can also move without either: an image loading above it, a web font).
 */
const MEASURE_EVERY_MS = 100;
/** Whether anything hides a tile is read at least this often while nothing in the stage changes (a hover may). */
const STYLE_EVERY_MS = 500;
/**
 * How far past the viewport the surface always reaches (CSS pixels): as far
 * as players are drawn at all (the viewport culling's margin), so a player
 * scrolled into view is on the surface already.
 */
const REACH = 256;
/** How much further a surface laid out anew reaches, so the next scroll of up to this much needs no new layout. */
const SLACK = 256;
/** A surface's edges lie on this grid of CSS pixels (whole device pixels at any ratio of 1/64ths). */
const GRID = 64;

/** A part of the stage, in CSS pixels from its padding box's top left, at a device pixel ratio. */
interface Cover {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly ratio: number;
}

/** Where a stage's surfaces are, and what they tell the stage. */
export interface SurfaceOptions {
  /** Two canvases in the stage's frame for them (its padding box): one is shown while the other is laid out. */
  readonly elements: readonly [HTMLCanvasElement, HTMLCanvasElement];
  /** A tile moved (or the surface changed size) while nothing was drawn: a tick should send it. */
  readonly moved: () => void;
  /** The stage cannot hold a surface (why): the part to be shown is over MAX_SURFACE_PIXELS device pixels, or the stage's styles would misplace or hide it. */
  readonly refuse: (reason: string) => void;
  /** Something between tile `id`'s element and the stage would hide its picture on the surface, or change it (the reason). */
  readonly hidden: (id: number, reason: string) => void;
  /** Every IDLE_MEASURE_MS, drawing or not: players kept off the surface may come back. */
  readonly idle: () => void;
}

/**
 * Why the stage's own styles would misplace the surface or hide it, or null:
 * the surface lies in a frame over the stage's box (so the stage must be
 * positioned), a layer below its content (so the stage must be a stacking
 * context, or the backgrounds of the page around it would cover the surface).
 * The stage's styles make it both; a page's rules for the stage may undo them.
 * A stage that scrolls its own content would scroll its players past the
 * frame, which covers only its box.
 */
function unfitStage(stage: Element): string | null {
  const style = getComputedStyle(stage);
  if (style.display === 'contents') return 'the page styles the stage display: contents';
  if (style.position === 'static') return 'the page styles the stage position: static';
  // The frame covers the stage's box, not what it scrolls into view.
  if (/auto|scroll/.test(`${style.overflowX} ${style.overflowY}`)) return 'the stage scrolls its content';
  const stacking =
    style.isolation === 'isolate' ||
    style.zIndex !== 'auto' ||
    Number(style.opacity) < 1 ||
    style.transform !== 'none' ||
    style.filter !== 'none' ||
    /paint|strict|content/.test(style.contain);
  return stacking ? null : 'the page styles the stage isolation: auto, so it is not a stacking context';
}

const snapDown = (value: number) => Math.floor(value / GRID) * GRID;
const snapUp = (value: number) => Math.ceil(value / GRID) * GRID;

/**
 * The main thread's side of a stage surface (`render="surface"`): it measures
 * the players' places and decides which part of the stage the surface covers.
 * Only the part in and near the viewport is a surface (a stage of a thousand
 * players, fifty of them on screen, holds a viewport's worth of pixels, not
 * the whole stage's). Scrolling past that part lays out the other surface
 * over the new part, out of sight; it is shown once the worker has drawn it,
 * so the picture never jumps (bench/surfaces.mjs measured why one surface).
 */
export class SurfaceLayout {
  private readonly frame: HTMLElement;
  private readonly stage: Element;
  private readonly tiles = new Map<number, HTMLElement>();
  /** Each tile's box as last measured, in CSS pixels from the frame's top left (left, top, right, bottom). */
  private readonly rects = new Map<number, readonly [number, number, number, number]>();
  /** Each tile's place as last sent, on the surface being drawn. */
  private readonly sent = new Map<number, string>();
  /** The surface being drawn (0 or 1) and what it covers (null: none yet). */
  private current = 0;
  private covered: Cover | null = null;
  /** The tick that laid out the current surface, until it is shown. */
  private layoutSeq: number | null = null;
  private queued: { layout: number[]; spare: number; places: number[] } = { layout: [], spare: -1, places: [] };
  /** Something in the stage changed since the tiles were last measured. */
  private dirty = true;
  private measuredAt = -Infinity;
  /** Something in the stage changed that may change a style (a class, an attribute, a node), since styles were read. */
  private restyled = true;
  private styledAt = -Infinity;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly observers: readonly (MutationObserver | ResizeObserver)[];
  private readonly onScroll = () => {
    this.dirty = true;
  };

  constructor(
    private readonly options: SurfaceOptions,
    busy: () => boolean,
  ) {
    this.frame = options.elements[0].parentElement!;
    for (const element of options.elements) element.hidden = true;
    const mutations = new MutationObserver(() => {
      this.dirty = true;
      this.restyled = true;
    });
    const stage = (this.frame.getRootNode() as ShadowRoot).host ?? this.frame;
    this.stage = stage;
    mutations.observe(stage, { subtree: true, childList: true, attributes: true, characterData: true });
    const resizes = new ResizeObserver(this.onScroll);
    resizes.observe(this.frame);
    // A scroll moves the viewport over the stage, and moves fixed and sticky players, and those in a scrolling box, against it.
    document.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    window.addEventListener('resize', this.onScroll, { passive: true });
    this.observers = [mutations, resizes];
    this.timer = setInterval(() => {
      options.idle();
      this.dirty = true;
      if (!busy() && this.measure()) options.moved();
    }, IDLE_MEASURE_MS);
  }

  /** Tile `id` is drawn at `element`'s place. */
  follow(id: number, element: HTMLElement): void {
    this.tiles.set(id, element);
    this.rects.delete(id);
    this.sent.delete(id);
  }

  /** Tile `id` is gone (a canvas that comes back is placed afresh). */
  forget(id: number): void {
    this.tiles.delete(id);
    this.rects.delete(id);
    this.sent.delete(id);
  }

  get hasQueued(): boolean {
    const { layout, spare, places } = this.queued;
    return layout.length > 0 || spare >= 0 || places.length > 0;
  }

  /** What the next tick sends (sent with tick `seq`). */
  take(seq: number): SurfaceChanges {
    const changes = this.queued;
    if (changes.layout.length > 0) this.layoutSeq = seq;
    this.queued = { layout: [], spare: -1, places: [] };
    return changes;
  }

  /** The worker has drawn tick `seq`: a surface laid out by it is shown, and the other one can go. */
  drawn(seq: number): void {
    if (this.layoutSeq !== seq) return;
    this.layoutSeq = null;
    const [shown, other] = [this.options.elements[this.current], this.options.elements[1 - this.current]];
    shown.hidden = false;
    if (!other.hidden) {
      other.hidden = true;
      this.queued.spare = 1 - this.current;
    }
  }

  /**
   * Measures the stage and its tiles and queues what changed since the last
   * tick; true if anything did. A new part of the stage to cover lays out the
   * surface not shown; the stage growing too large for one, or styled so that
   * it would misplace or hide one, calls `refuse`.
   */
  measure(): boolean {
    const now = performance.now();
    // Every tile, when something may have moved; else only the new ones.
    const all = this.dirty || now - this.measuredAt >= MEASURE_EVERY_MS;
    if (all) {
      this.dirty = false;
      this.measuredAt = now;
    }
    // Whether the surface shows each tile is read with the places: after a change in the stage, for a new
    // tile, and at least every STYLE_EVERY_MS (a style can change with nothing in the stage changing: a hover).
    const restyle = this.restyled || now - this.styledAt >= STYLE_EVERY_MS;
    if (restyle && all) {
      this.restyled = false;
      this.styledAt = now;
      const unfit = unfitStage(this.stage);
      if (unfit !== null) {
        this.options.refuse(unfit);
        return false;
      }
    }
    const box = this.frame.getBoundingClientRect();
    const styles = new Map<Element, string | null>();
    const measured: number[] = [];
    for (const [id, element] of this.tiles) {
      const known = this.rects.has(id);
      if (!all && known) continue;
      const hidden = (restyle && all) || !known ? surfaceHidden(element, this.stage, styles) : null;
      if (hidden !== null) {
        this.rects.delete(id);
        this.options.hidden(id, hidden);
        continue;
      }
      const rect = element.getBoundingClientRect();
      this.rects.set(id, [rect.left - box.left, rect.top - box.top, rect.right - box.left, rect.bottom - box.top]);
      measured.push(id);
    }
    let changed = false;
    if (all || measured.length > 0 || !this.covered) {
      const next = this.cover(box);
      if (next !== this.covered) {
        const width = Math.round((next.right - next.left) * next.ratio);
        const height = Math.round((next.bottom - next.top) * next.ratio);
        if (width * height > MAX_SURFACE_PIXELS) {
          this.options.refuse(
            `the part of the stage in and near the viewport is ${width} x ${height} device pixels, over the ${MAX_SURFACE_PIXELS} of one surface`,
          );
          return false;
        }
        this.layOut(next, width, height);
        changed = true;
      }
    }
    const { ratio, left: coverLeft, top: coverTop } = this.covered!;
    // A new layout places every tile again.
    for (const id of changed ? this.rects.keys() : measured) {
      const [left, top, right, bottom] = this.rects.get(id)!;
      const x = Math.round((left - coverLeft) * ratio);
      const y = Math.round((top - coverTop) * ratio);
      const x2 = Math.round((right - coverLeft) * ratio);
      const y2 = Math.round((bottom - coverTop) * ratio);
      const place = `${x} ${y} ${x2} ${y2}`;
      if (this.sent.get(id) === place) continue;
      this.sent.set(id, place);
      this.queued.places.push(id, x, y, x2 - x, y2 - y);
      changed = true;
    }
    return changed;
  }

  /**
   * The part of the stage (its frame's box `box`) the surface should cover:
   * near the viewport, and only where its tiles are (a page-sized stage with a
   * few players holds a surface of their size); the current one while it
   * still covers that.
   */
  private cover(box: DOMRect): Cover {
    const ratio = Math.min(globalThis.devicePixelRatio || 1, 2);
    // The tiles' extent, against the frame's box.
    let [tilesLeft, tilesTop, tilesRight, tilesBottom] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [left, top, right, bottom] of this.rects.values()) {
      tilesLeft = Math.min(tilesLeft, left);
      tilesTop = Math.min(tilesTop, top);
      tilesRight = Math.max(tilesRight, right);
      tilesBottom = Math.max(tilesBottom, bottom);
    }
    const clampX = (value: number) => Math.min(Math.max(value, 0), box.width);
    const clampY = (value: number) => Math.min(Math.max(value, 0), box.height);
    const viewWidth = globalThis.innerWidth;
    const viewHeight = globalThis.innerHeight;
    const reach = (margin: number) => {
      const left = clampX(Math.max(-box.left, tilesLeft) - margin);
      const top = clampY(Math.max(-box.top, tilesTop) - margin);
      return {
        left,
        top,
        right: Math.max(left, clampX(Math.min(viewWidth - box.left, tilesRight) + margin)),
        bottom: Math.max(top, clampY(Math.min(viewHeight - box.top, tilesBottom) + margin)),
      };
    };
    const needed = reach(REACH);
    const current = this.covered;
    if (
      current &&
      current.ratio === ratio &&
      current.left <= needed.left &&
      current.top <= needed.top &&
      current.right >= needed.right &&
      current.bottom >= needed.bottom &&
      current.right <= Math.max(box.width, current.left) &&
      current.bottom <= Math.max(box.height, current.top)
    ) {
      return current;
    }
    const wanted = reach(REACH + SLACK);
    const left = snapDown(wanted.left);
    const top = snapDown(wanted.top);
    return {
      left,
      top,
      right: Math.max(left, Math.min(snapUp(wanted.right), box.width)),
      bottom: Math.max(top, Math.min(snapUp(wanted.bottom), box.height)),
      ratio,
    };
  }

  /** Lays out the surface not shown over `cover`: it is drawn from the next tick on, and shown once drawn. */
  private layOut(cover: Cover, width: number, height: number): void {
    // Before the first surface is shown, the same one is laid out again.
    const shown = this.options.elements.findIndex((element) => !element.hidden);
    const index = shown < 0 ? this.current : 1 - shown;
    const element = this.options.elements[index]!;
    Object.assign(element.style, {
      left: `${cover.left}px`,
      top: `${cover.top}px`,
      width: `${cover.right - cover.left}px`,
      height: `${cover.bottom - cover.top}px`,
    });
    this.current = index;
    this.covered = cover;
    this.sent.clear();
    this.queued.layout = [index, width, height];
    // A spare queued for freeing is the one laid out now.
    if (this.queued.spare === index) this.queued.spare = -1;
    this.queued.places = [];
  }

  /** Stops watching, and takes the surfaces away (a surface would keep its last picture). */
  stop(): void {
    clearInterval(this.timer);
    for (const observer of this.observers) observer.disconnect();
    document.removeEventListener('scroll', this.onScroll, { capture: true });
    window.removeEventListener('resize', this.onScroll);
    this.frame.remove();
  }
}
