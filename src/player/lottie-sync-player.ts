import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { queueFirstRender } from '../clock/budget.js';
import type { PlayDirection, PlayMode } from '../clock/frame-map.js';
import type { LottieMeta } from '../data/lottie-data.js';
import { InvalidValue } from '../element/attribute-values.js';
import { LottieSyncElement } from '../element/lottie-sync-element.js';
import { LottieSyncError, isFatal } from '../errors.js';
import { LottieSyncLoadEvent } from '../events.js';
import type { PlayerConfig, PlayerRegistration, PlayerView } from '../registration/protocol.js';
import { RegisteringController } from '../registration/registering.js';
import { createSoloClock, type SoloClock } from '../stage/solo-clock.js';
import { parseDirection, parseLoop, parseMode, parseSegment } from './attributes.js';

/** Where a player is: nothing to play, fetching, showing frames, or showing its fallback. */
export type PlayerState = 'empty' | 'loading' | 'playing' | 'error';

const ATTRIBUTES = {
  loop: { parse: parseLoop, accepted: '"true", "false" or no value' },
  direction: { parse: parseDirection, accepted: '"1", "-1", "forward" or "reverse"' },
  mode: { parse: parseMode, accepted: '"normal" or "bounce"' },
  segment: { parse: parseSegment, accepted: 'two whole frame numbers, first smaller, such as "10 40"' },
} as const;

/**
 * One animation on a stage. It registers with the nearest `<lottie-sync-stage>`
 * above it (through wrappers and shadow roots) and shows the frame the stage's
 * clock gives it on a canvas borrowed from the stage's pool. With no stage it
 * plays on a private clock of its own.
 *
 * Size it with CSS (default 160 x 160 CSS pixels); the canvas has the box's
 * size times the device pixel ratio (capped at 2) and the animation is fitted
 * inside it (`xMidYMid meet`).
 *
 * @tagname lottie-sync-player
 * @summary A Lottie animation driven by its stage's clock.
 *
 * @slot fallback - Shown instead of the animation when it cannot be loaded or drawn.
 *
 * @csspart canvas - The canvas the animation is drawn on.
 * @csspart fallback - The box shown in place of the animation after a fatal error.
 *
 * @cssprop --lottie-sync-player-width - Default width (160px).
 * @cssprop --lottie-sync-player-height - Default height (160px).
 * @cssprop --lottie-sync-fallback-background - Background of the fallback box.
 * @cssprop --lottie-sync-fallback-color - Text colour of the fallback box.
 *
 * @fires {LottieSyncLoadEvent} lottie-sync-load - The first frame is on the canvas.
 * @fires {LottieSyncErrorEvent} lottie-sync-error - Loading or drawing failed (`fatal`: the fallback shows), or an attribute was rejected (not fatal: the default is used).
 */
export class LottieSyncPlayer extends LottieSyncElement {
  static override styles = css`
    :host {
      display: inline-block;
      position: relative;
      width: var(--lottie-sync-player-width, 160px);
      height: var(--lottie-sync-player-height, 160px);
      contain: layout paint;
      vertical-align: top;
    }
    :host([hidden]) {
      display: none;
    }
    .surface,
    [part='fallback'] {
      position: absolute;
      inset: 0;
    }
    canvas {
      display: block;
      width: 100%;
      height: 100%;
    }
    [part='fallback'] {
      display: flex;
      align-items: center;
      justify-content: center;
      padding: 0.5em;
      box-sizing: border-box;
      overflow: hidden;
      font:
        12px/1.3 system-ui,
        sans-serif;
      text-align: center;
      background: var(--lottie-sync-fallback-background, #f4f4f5);
      color: var(--lottie-sync-fallback-color, #71717a);
      border: 1px dashed currentColor;
    }
  `;

  /** URL of the Lottie JSON file, relative to the document. */
  @property({ reflect: true }) src: string | null = null;

  /** Loop: `loop` or `loop="true"`; `loop="false"` plays once; without it the stage's `loop` applies. */
  @property({ converter: { fromAttribute: parseLoop } }) loop: boolean | null = null;

  /** `1` (forward) or `-1` (reverse); also "forward" and "reverse" in HTML. */
  @property({ converter: { fromAttribute: parseDirection } }) direction: PlayDirection = 1;

  /** `normal`, or `bounce`: forwards then backwards, each half taking the animation's duration. */
  @property({ converter: { fromAttribute: parseMode } }) mode: PlayMode = 'normal';

  /** Play only frames `from` up to `to` (exclusive), counted from the file's first frame: `segment="10 40"`. Wins over `marker`. */
  @property({ converter: { fromAttribute: parseSegment } }) segment: readonly [number, number] | null = null;

  /** Play only the range of the file's marker with this name. */
  @property() marker: string | null = null;

  /** Join the group of this name (see `<lottie-sync-group>`); players inside a `<lottie-sync-group>` join it without this. */
  @property() group: string | null = null;

  /** This player is its group's master (default: the first player of the group). */
  @property({ type: Boolean }) master = false;

  @state() private failure: LottieSyncError | null = null;

  private solo: SoloClock | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private frame = -1;
  private meta: LottieMeta | null = null;
  private frames = 0;
  private seconds = 0;
  private loading = false;
  /** The current registration has not been told what to play yet. */
  private needsConfig = true;

  /** What the stage may tell this player: a private object, not the element. */
  private readonly view: PlayerView = {
    element: this,
    mountCanvas: (canvas) => this.mountCanvas(canvas),
    loaded: (meta, totalFrames, duration) => {
      this.meta = meta;
      this.frames = totalFrames;
      this.seconds = duration;
    },
    frameDrawn: (frame) => this.frameDrawn(frame),
    failed: (error) => this.failed(error),
  };

  private readonly registering = new RegisteringController(this, {
    kind: 'player',
    ask: () => this.view,
    // With no stage above it, the player plays on a private clock of its own.
    fallback: () => {
      this.solo ??= createSoloClock();
      this.solo.resume();
      return this.solo.register(this.view);
    },
    granted: (registration, isNewPlace) => {
      // Joined a stage: the private clock has nothing left to do.
      if (registration.stage !== null) this.solo?.suspend();
      if (isNewPlace) this.frame = -1;
      this.needsConfig = true;
      if (this.hasUpdated) this.sendConfig();
    },
    released: () => this.solo?.suspend(),
  });

  /** The frame on the canvas, counted from the file's first frame (in-point); -1 before the first draw. */
  get currentFrame(): number {
    return this.frame;
  }

  /** Frames this player plays (its segment or marker, else the whole file); 0 until loaded. */
  get totalFrames(): number {
    return this.frames;
  }

  /** Seconds one pass through `totalFrames` takes at speed 1; 0 until loaded. */
  get duration(): number {
    return this.seconds;
  }

  /** The file's frame rate; 0 until loaded. */
  get frameRate(): number {
    return this.meta?.frameRate ?? 0;
  }

  /** The error showing in the fallback, if any. */
  get error(): LottieSyncError | null {
    return this.failure;
  }

  /** Where the player is: `empty`, `loading`, `playing` (frames are drawn) or `error`. */
  get state(): PlayerState {
    if (this.failure) return 'error';
    if (this.loading) return 'loading';
    return this.frame >= 0 ? 'playing' : this.src ? 'loading' : 'empty';
  }

  /** The stage this player is registered with; null when it plays on its own. */
  get stage(): HTMLElement | null {
    return this.registration?.stage ?? null;
  }

  private get registration(): PlayerRegistration | null {
    return this.registering.grant;
  }

  protected override get errorSource(): string | null {
    return this.src;
  }

  private config(): PlayerConfig {
    let src: string | null = null;
    if (this.src) {
      try {
        src = new URL(this.src, this.baseURI).href;
      } catch {
        src = this.src;
      }
    }
    return {
      src,
      loop: this.loop,
      direction: this.direction,
      mode: this.mode,
      segment: this.segment,
      marker: this.marker || null,
      group: this.group || null,
      master: this.master,
    };
  }

  /** The first render waits its turn in a page-wide, time-budgeted queue, so hundreds of players start in batches. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (this.hasUpdated) return super.scheduleUpdate();
    return new Promise<void>((resolve) =>
      queueFirstRender(() => {
        super.scheduleUpdate();
        resolve();
      }),
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    for (const [name, { parse, accepted }] of Object.entries(ATTRIBUTES)) {
      const key = name as keyof typeof ATTRIBUTES;
      const value: unknown = this[key];
      if (changed.has(key) && value instanceof InvalidValue) {
        const fallback = parse(null);
        this.rejectAttribute(name, accepted, `the default (${JSON.stringify(fallback)})`);
        (this as unknown as Record<string, unknown>)[key] = fallback;
      }
    }
    if (changed.has('src')) {
      this.failure = null;
      this.frame = -1;
      this.frames = 0;
      this.seconds = 0;
      this.meta = null;
      this.loading = Boolean(this.src);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.canvas && this.canvas.parentNode === null) this.mountCanvas(this.canvas);
    const relevant = ['src', 'loop', 'direction', 'mode', 'segment', 'marker', 'group', 'master'] as const;
    if (this.needsConfig || relevant.some((key) => changed.has(key))) this.sendConfig();
  }

  private sendConfig(): void {
    if (!this.registration) return;
    this.needsConfig = false;
    this.registration.update(this.config());
  }

  protected override render() {
    return html`<div class="surface"></div>
      ${
        this.failure
          ? html`<div part="fallback" role="img" aria-label=${`Animation unavailable: ${this.failure.message}`}>
              <slot name="fallback">Animation unavailable (${this.failure.code})</slot>
            </div>`
          : nothing
      }`;
  }

  private mountCanvas(canvas: HTMLCanvasElement | null): void {
    if (canvas === null) {
      this.canvas?.remove();
      this.canvas = null;
      this.frame = -1;
      return;
    }
    this.canvas = canvas;
    this.renderRoot.querySelector('.surface')?.append(canvas);
  }

  private frameDrawn(frame: number): void {
    const first = this.loading;
    this.frame = frame;
    if (first) {
      this.loading = false;
      this.dispatchEvent(new LottieSyncLoadEvent(this.src ?? '', frame, this.frames));
    }
  }

  private failed(error: LottieSyncError): void {
    if (isFatal(error.code)) {
      this.loading = false;
      this.failure = error;
      this.frame = -1;
    }
    this.report(error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lottie-sync-player': LottieSyncPlayer;
  }
}
