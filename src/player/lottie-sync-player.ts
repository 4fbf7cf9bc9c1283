import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { queueFirstRender } from '../clock/budget.js';
import type { PlayDirection, PlayMode } from '../clock/frame-map.js';
import type { LottieMeta } from '../data/lottie-data.js';
import { InvalidValue } from '../element/attribute-values.js';
import { LottieSyncElement } from '../element/lottie-sync-element.js';
import { LottieSyncError, isFatal } from '../errors.js';
import { LottieSyncEndEvent, LottieSyncLoadEvent, LottieSyncLoopEvent } from '../events.js';
import type { PlayerConfig, PlayerRegistration, PlayerView } from '../registration/protocol.js';
import { RegisteringController } from '../registration/registering.js';
import {
  CONFIG_KEYS,
  PLAYER_ATTRIBUTES,
  parseDirection,
  parseIntermission,
  parseLoop,
  parseMode,
  parsePlayOn,
  parseSegment,
  parseSpeed,
  type PlayTrigger,
} from './attributes.js';
import { PlayerPlayback } from './player-playback.js';
import { playerStyles } from './player-styles.js';

/** Where a player is: nothing to play, fetching, showing frames, or showing its fallback. */
export type PlayerState = 'empty' | 'loading' | 'playing' | 'error';

/**
 * One animation on a stage. It registers with the nearest `<lottie-sync-stage>`
 * above it (through wrappers and shadow roots) and shows the frame the stage's
 * clock gives it on a canvas borrowed from the stage's pool. With no stage it
 * plays on a private clock of its own (with `autoplay`, and `controls` if asked).
 *
 * Size it with CSS (default 160 x 160 CSS pixels); the canvas has the box's
 * size times the device pixel ratio (capped at 2) and the animation is fitted
 * inside it (`xMidYMid meet`). It is announced as an image named by
 * `description` (else the file's own name), or hidden from assistive
 * technology with `decorative`.
 *
 * @tagname lottie-sync-player
 * @summary A Lottie animation driven by its stage's clock.
 *
 * @slot fallback - Shown instead of the animation when it cannot be loaded or drawn.
 *
 * @csspart canvas - The canvas the animation is drawn on.
 * @csspart fallback - The box shown in place of the animation after a fatal error.
 * @csspart controls - The control bar (a player with no stage, with `controls`).
 * @csspart control - Each control of the bar.
 * @csspart play-button - The play/pause button.
 * @csspart scrubber - The position slider.
 * @csspart time - The time shown.
 * @csspart loop-button - The loop toggle.
 *
 * @cssprop --lottie-sync-player-width - Default width (160px).
 * @cssprop --lottie-sync-player-height - Default height (160px).
 * @cssprop --lottie-sync-fallback-background - Background of the fallback box.
 * @cssprop --lottie-sync-fallback-color - Text colour of the fallback box.
 * @cssprop --lottie-sync-controls-background - Background of the control bar.
 * @cssprop --lottie-sync-controls-color - Text and icon colour of the control bar.
 * @cssprop --lottie-sync-controls-accent - Focus ring, slider and pressed-button colour.
 *
 * @fires {LottieSyncLoadEvent} lottie-sync-load - The first frame is on the canvas.
 * @fires {LottieSyncLoopEvent} lottie-sync-loop - A pass ended and the player loops again (`passes` so far).
 * @fires {LottieSyncEndEvent} lottie-sync-end - The last pass ended (`loop="3"`, or without loop); the final frame holds.
 * @fires {LottieSyncErrorEvent} lottie-sync-error - Loading or drawing failed (`fatal`: the fallback shows), or an attribute was rejected (not fatal: the default is used).
 */
export class LottieSyncPlayer extends LottieSyncElement {
  static override styles = playerStyles;

  /** URL of the Lottie file: JSON, a `.lottie` archive, a `data:` or `blob:` URL; relative to the document. */
  @property({ reflect: true }) src: string | null = null;

  /**
   * The animation itself, for pages that already hold it: a Lottie object or its JSON text
   * (wins over `src`). Players given the same object or text share one parse.
   */
  @property({ attribute: false }) data: object | string | null = null;

  /** In a `.lottie` file: the id of the animation to play (default: the manifest's initial or first). */
  @property() animation: string | null = null;

  /** Loop: `loop` or `loop="true"` for ever, `loop="3"` three passes in all, `loop="false"` once; without it the stage's `loop` applies. */
  @property({ converter: { fromAttribute: parseLoop } }) loop: boolean | number | null = null;

  /** Milliseconds the final frame is held between passes. */
  @property({ converter: { fromAttribute: parseIntermission } }) intermission = 0;

  /** Its own rate, a multiple of its timeline's (players with the same settings stay frame-exact). */
  @property({ converter: { fromAttribute: parseSpeed } }) speed = 1;

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

  /**
   * Play on a timeline of its own when: `hover` (pausing when the pointer leaves), `click` (a
   * toggle; Enter and Space too), `visible` (in view, pausing out of it) or `visible-once`. It never
   * disturbs the other players of its stage.
   */
  @property({ attribute: 'play-on', reflect: true, converter: { fromAttribute: parsePlayOn } }) playOn: PlayTrigger | null = null;

  /** With no stage: start playing once loaded (not under `prefers-reduced-motion: reduce`, unless `ignore-reduced-motion`). */
  @property({ type: Boolean }) autoplay = false;

  /** With no stage: show a control bar (play/pause, position, loop). */
  @property({ type: Boolean, reflect: true }) controls = false;

  /** With no stage: animate even when the user asks for reduced motion. */
  @property({ type: Boolean, attribute: 'ignore-reduced-motion' }) ignoreReducedMotion = false;

  /** What assistive technology announces (default: the file's own name). */
  @property() description: string | null = null;

  /** Decorative: hidden from assistive technology. */
  @property({ type: Boolean }) decorative = false;

  @state() private failure: LottieSyncError | null = null;

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
      this.requestUpdate();
    },
    frameDrawn: (frame) => this.frameDrawn(frame),
    passed: (passes, ended) => {
      const src = this.src ?? '';
      this.dispatchEvent(ended ? new LottieSyncEndEvent(src, passes) : new LottieSyncLoopEvent(src, passes));
    },
    failed: (error) => this.failed(error),
  };

  private readonly registering = new RegisteringController(this, {
    kind: 'player',
    ask: () => this.view,
    // With no stage above it, the player plays on a private clock of its own.
    fallback: () => this.playback.alone(this.view),
    granted: (registration, isNewPlace) => {
      if (isNewPlace) this.frame = -1;
      this.playback.granted(registration);
      this.needsConfig = true;
      if (this.hasUpdated) this.sendConfig();
    },
    released: () => this.playback.released(),
  });

  private readonly playback = new PlayerPlayback(this, this, () => ({
    duration: this.seconds,
    name: this.accessibleName,
    registration: this.registration,
  }));

  private get accessibleName(): string {
    return this.description || this.meta?.name || 'Animation';
  }

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
    return this.frame >= 0 ? 'playing' : this.src || this.data ? 'loading' : 'empty';
  }

  /** The stage this player is registered with; null when it plays on its own. */
  get stage(): HTMLElement | null {
    return this.registration?.stage ?? null;
  }

  /** Whether its timeline (its own, its group's or its stage's) stands still. */
  get paused(): boolean {
    return this.registration?.controls.paused ?? true;
  }

  /** Its timeline position in seconds; setting it seeks this player alone. */
  get currentTime(): number {
    return this.registration?.controls.currentTime ?? 0;
  }

  set currentTime(seconds: number) {
    this.seek(seconds);
  }

  /** Plays this player alone (on a stage: on a timeline of its own, until the stage is next controlled). */
  play(): void {
    this.registration?.controls.play();
    this.requestUpdate();
  }

  /** Pauses this player alone. */
  pause(): void {
    this.registration?.controls.pause();
    this.requestUpdate();
  }

  /** Moves this player alone to `seconds`. */
  seek(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError(`seek() takes a finite number of seconds, not ${seconds}.`);
    this.registration?.controls.seek(seconds);
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
      data: this.data,
      animation: this.animation || null,
      loop: this.loop,
      intermission: this.intermission,
      speed: this.speed,
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
    for (const [key, { parse, accepted, ...rest }] of Object.entries(PLAYER_ATTRIBUTES)) {
      const name = key as keyof typeof PLAYER_ATTRIBUTES;
      const value: unknown = this[name];
      if (changed.has(name) && value instanceof InvalidValue) {
        const fallback = parse(null);
        this.rejectAttribute('attribute' in rest ? rest.attribute : name, accepted, `the default (${JSON.stringify(fallback)})`);
        (this as unknown as Record<string, unknown>)[name] = fallback;
      }
    }
    if (changed.has('src') || changed.has('data') || changed.has('animation')) {
      this.failure = null;
      this.frame = -1;
      this.frames = 0;
      this.seconds = 0;
      this.meta = null;
      this.loading = Boolean(this.src || this.data);
    }
    if (changed.has('autoplay') || changed.has('playOn')) this.playback.changed(this.registration, changed.has('playOn'));
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.canvas && this.canvas.parentNode === null) this.mountCanvas(this.canvas);
    if (this.needsConfig || CONFIG_KEYS.some((key) => changed.has(key))) this.sendConfig();
  }

  private sendConfig(): void {
    if (!this.registration) return;
    this.needsConfig = false;
    this.registration.update(this.config());
  }

  protected override render() {
    // With its own controls the player is a group: the picture inside is the image.
    const picture = this.playback.showsControls && !this.decorative;
    return html`<div
        class="surface"
        role=${picture ? 'img' : nothing}
        aria-label=${picture ? this.accessibleName : nothing}
        aria-hidden=${picture ? nothing : 'true'}
      ></div>
      ${
        this.failure
          ? html`<div part="fallback" role="img" aria-label=${`Animation unavailable: ${this.failure.message}`}>
              <slot name="fallback">Animation unavailable (${this.failure.code})</slot>
            </div>`
          : nothing
      }${this.playback.render()}`;
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
