import type { ReactiveControllerHost, TemplateResult, nothing } from 'lit';
import { AccessibleNameController } from '../element/accessible-name.js';
import { ControlBarController } from '../element/control-bar.js';
import { PlayTriggerController } from '../element/play-trigger.js';
import { ReducedMotionController } from '../element/reduced-motion.js';
import type { PlayerRegistration, PlayerView } from '../registration/protocol.js';
import { createSoloClock, type SoloClock } from '../stage/solo-clock.js';
import type { PlayTrigger } from './attributes.js';

/** What a player's own playback reads from the player. */
export interface PlaybackSettings {
  readonly playOn: PlayTrigger | null;
  readonly autoplay: boolean;
  readonly controls: boolean;
  readonly ignoreReducedMotion: boolean;
  readonly decorative: boolean;
  loop: boolean | number | null;
}

export interface PlaybackState {
  /** Seconds of one pass (0 until loaded). */
  readonly duration: number;
  /** What the player is announced as. */
  readonly name: string;
  readonly registration: PlayerRegistration | null;
}

/**
 * A player's playback of its own: the private clock it plays on with no stage
 * (with `autoplay`, and not under reduced motion), its `play-on` trigger (a
 * timeline of its own on a stage), its control bar when alone, and how it is
 * announced to assistive technology.
 */
export class PlayerPlayback {
  private solo: SoloClock | null = null;
  private readonly motion: ReducedMotionController;
  private readonly controlBar: ControlBarController;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    private readonly settings: PlaybackSettings,
    private readonly state: () => PlaybackState,
  ) {
    this.motion = new ReducedMotionController(host, () => {
      if (!this.solo) return;
      this.solo.autoplay = this.soloAutoplay;
      const registration = this.state().registration;
      if (!this.motionAllowed && registration?.stage === null) registration.controls.pause();
    });
    this.controlBar = new ControlBarController(
      host,
      () => {
        const { registration, duration, name } = this.state();
        if (!registration || registration.stage !== null) return null;
        const { controls } = registration;
        return {
          get paused() {
            return controls.paused;
          },
          get currentTime() {
            return controls.currentTime;
          },
          duration,
          loop: settings.loop !== null && settings.loop !== false,
          play: () => controls.play(),
          pause: () => controls.pause(),
          seek: (seconds) => controls.seek(seconds),
          setLoop: (loop) => (settings.loop = loop),
          disabledReason: null,
          label: name,
        };
      },
      () => settings.controls,
    );
    new PlayTriggerController(host, {
      trigger: () => settings.playOn,
      controls: () => this.state().registration?.controls ?? null,
      targets: () => [host],
      motionAllowed: () => this.motionAllowed,
    });
    new AccessibleNameController(host, () => {
      const { registration, name } = this.state();
      return {
        decorative: settings.decorative,
        name,
        pressable: settings.playOn === 'click',
        pressed: registration ? !registration.controls.paused : false,
        grouped: this.showsControls,
      };
    });
  }

  private get motionAllowed(): boolean {
    return !this.motion.reduced || this.settings.ignoreReducedMotion;
  }

  private get soloAutoplay(): boolean {
    return this.settings.autoplay && this.settings.playOn === null && this.motionAllowed;
  }

  /** With no stage above it, the player plays on a private clock of its own. */
  alone(view: PlayerView): PlayerRegistration {
    this.solo ??= createSoloClock();
    this.solo.autoplay = this.soloAutoplay;
    this.solo.resume();
    return this.solo.register(view);
  }

  /** A registration was taken: on a stage the private clock has nothing left to do; a trigger starts paused. */
  granted(registration: PlayerRegistration): void {
    if (registration.stage !== null) this.solo?.suspend();
    this.startTrigger(registration);
  }

  released(): void {
    this.solo?.suspend();
  }

  /** `play-on` or `autoplay` changed. */
  changed(registration: PlayerRegistration | null, trigger: boolean): void {
    if (trigger && registration) this.startTrigger(registration);
    if (this.solo) this.solo.autoplay = this.soloAutoplay;
  }

  /** Its control bar shows (it plays alone, with `controls`). */
  get showsControls(): boolean {
    return this.settings.controls && this.state().registration?.stage === null;
  }

  render(): TemplateResult | typeof nothing {
    return this.controlBar.render();
  }

  /** A trigger puts the player on a timeline of its own, paused at the start until it fires. */
  private startTrigger(registration: PlayerRegistration): void {
    // (A registration from an older copy of the library on the page may lack these.)
    registration.keep?.(this.settings.playOn !== null);
    if (this.settings.playOn === null || !registration.controls) return;
    registration.controls.pause();
    registration.controls.seek(0);
  }
}
