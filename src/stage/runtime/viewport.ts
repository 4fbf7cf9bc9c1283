import { LottieSyncQualityEvent } from '../../events.js';
import type { StageHost } from './stage-host.js';
import type { StagePlayer } from './stage-player.js';

/** Players this far outside the viewport already get their canvas, so they are drawn before they scroll in. */
const VIEWPORT_MARGIN = '256px';

/**
 * Where the stage's players are: one ResizeObserver (their boxes, and so their
 * canvas sizes in device pixels) and one IntersectionObserver (whether they
 * are near enough to the viewport to hold a canvas) for the whole stage.
 */
export class Viewport {
  /** Largest device pixel ratio canvases are drawn at. */
  maxPixelRatio = 2;
  /** Below 1 when the adaptive mode draws fewer pixels under sustained overload. */
  private pixelScale = 1;
  private readonly resizeObserver = new ResizeObserver((entries) => this.onResize(entries));
  private readonly intersectionObserver =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => this.onIntersection(entries), { rootMargin: VIEWPORT_MARGIN })
      : null;

  constructor(
    private readonly host: StageHost,
    /** The registered player of an element. */
    private readonly playerOf: (element: Element) => StagePlayer | undefined,
    /** A player's box or visibility changed: its canvas follows. */
    private readonly changed: (player: StagePlayer) => void,
  ) {}

  observe(player: StagePlayer): void {
    const { element } = player.view;
    this.resizeObserver.observe(element);
    if (this.intersectionObserver) this.intersectionObserver.observe(element);
    else player.box.visible = player.box.placed = true;
  }

  unobserve(player: StagePlayer): void {
    const { element } = player.view;
    this.resizeObserver.unobserve(element);
    this.intersectionObserver?.unobserve(element);
  }

  /** Device pixels per CSS pixel that canvases are drawn at: the screen's, capped, times the adaptive scale. */
  get pixelRatio(): number {
    return Math.min(globalThis.devicePixelRatio || 1, this.maxPixelRatio) * this.pixelScale;
  }

  /** The adaptive mode changed the pixel scale: every canvas takes its new size. */
  setPixelScale(scale: number, players: Iterable<StagePlayer>): void {
    if (scale === this.pixelScale) return;
    const previous = this.pixelRatio;
    this.pixelScale = scale;
    for (const player of players) {
      if (!player.box.measured) continue;
      this.size(player);
      this.changed(player);
    }
    this.host.requestDraw();
    this.host.emit(new LottieSyncQualityEvent(this.pixelRatio, previous));
  }

  private size(player: StagePlayer): void {
    const { box } = player;
    const ratio = this.pixelRatio;
    box.width = Math.round(box.cssWidth * ratio);
    box.height = Math.round(box.cssHeight * ratio);
  }

  private onResize(entries: ResizeObserverEntry[]): void {
    for (const entry of entries) {
      const player = this.playerOf(entry.target);
      if (!player) continue;
      const { box } = player;
      box.measured = true;
      box.cssWidth = entry.contentRect.width;
      box.cssHeight = entry.contentRect.height;
      this.size(player);
      this.changed(player);
    }
    this.host.checkReady();
  }

  private onIntersection(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const player = this.playerOf(entry.target);
      if (!player) continue;
      player.box.placed = true;
      player.box.visible = entry.isIntersecting;
      this.changed(player);
    }
    this.host.checkReady();
  }
}
