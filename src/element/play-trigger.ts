import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { OwnControls } from '../registration/protocol.js';

/** What starts a player (or group) on a timeline of its own. */
export type PlayTrigger = 'hover' | 'click' | 'visible' | 'visible-once';

/** Share of an element that must be in view for `play-on="visible"`. */
const VISIBLE_SHARE = 0.5;

export interface TriggerHost {
  /** What starts it (null: no trigger). */
  trigger(): PlayTrigger | null;
  /** Its own controls, once it is on a stage (or on its own). */
  controls(): OwnControls | null;
  /** The elements whose visibility counts (a player itself; a group's players). */
  targets(): Element[];
  /** Whether motion may start without the user asking (prefers-reduced-motion). */
  motionAllowed(): boolean;
}

/**
 * `play-on`: a player or group that plays on hover (and pauses when the
 * pointer leaves), toggles on click (or Enter and Space), or plays when it
 * comes into view (each time, pausing when it leaves; or once). It runs on a
 * timeline of its own, so it never disturbs the other players of its stage.
 */
export class PlayTriggerController implements ReactiveController {
  private observer: IntersectionObserver | null = null;
  private observed: Element[] = [];
  private seenOnce = false;
  private readonly onOver = (event: PointerEvent) => {
    if (this.mode() === 'hover' && !this.host.contains(event.relatedTarget as Node | null)) this.options.controls()?.play();
  };
  private readonly onOut = (event: PointerEvent) => {
    if (this.mode() === 'hover' && !this.host.contains(event.relatedTarget as Node | null)) this.options.controls()?.pause();
  };
  private readonly onClick = () => {
    if (this.mode() === 'click') this.toggle();
  };
  private readonly onKey = (event: KeyboardEvent) => {
    if (this.mode() !== 'click' || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    this.toggle();
  };

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: TriggerHost,
  ) {
    host.addController(this);
  }

  private mode(): PlayTrigger | null {
    return this.options.trigger();
  }

  private toggle(): void {
    const controls = this.options.controls();
    if (!controls) return;
    if (controls.paused) controls.play();
    else controls.pause();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.host.addEventListener('pointerover', this.onOver);
    this.host.addEventListener('pointerout', this.onOut);
    this.host.addEventListener('click', this.onClick);
    this.host.addEventListener('keydown', this.onKey);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('pointerover', this.onOver);
    this.host.removeEventListener('pointerout', this.onOut);
    this.host.removeEventListener('click', this.onClick);
    this.host.removeEventListener('keydown', this.onKey);
    this.unobserve();
  }

  hostUpdated(): void {
    const visible = this.mode() === 'visible' || this.mode() === 'visible-once';
    if (!visible) return this.unobserve();
    const targets = this.options.targets();
    if (this.observer && targets.length === this.observed.length && targets.every((t, i) => t === this.observed[i])) return;
    this.unobserve();
    this.observed = targets;
    this.observer = new IntersectionObserver((entries) => this.onIntersection(entries), { threshold: VISIBLE_SHARE });
    for (const target of targets) this.observer.observe(target);
  }

  private inView = new Set<Element>();

  private onIntersection(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (entry.isIntersecting) this.inView.add(entry.target);
      else this.inView.delete(entry.target);
    }
    const controls = this.options.controls();
    if (!controls) return;
    if (this.inView.size > 0) {
      if (this.mode() === 'visible-once' && this.seenOnce) return;
      if (!this.options.motionAllowed()) return;
      this.seenOnce = true;
      controls.play();
    } else if (this.mode() === 'visible') controls.pause();
  }

  private unobserve(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.observed = [];
    this.inView.clear();
  }
}
