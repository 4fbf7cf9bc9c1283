/**
 * How players and groups find their stage. A registering element sends a
 * bubbling, composed request event; the nearest registrar above it (a stage,
 * or for players a group, which passes it on to its stage) stops it and
 * answers at once with a registration, the element's only link to the stage.
 * The element releases it when it leaves (a removed node cannot bubble to its
 * old parent). A registrar that connects asks the registering elements below
 * it to ask again, so the order in which the elements are defined does not
 * matter.
 */
import type { PlayDirection, PlayMode } from '../clock/frame-map.js';
import type { GroupSettings } from '../clock/sync-group.js';
import type { LottieMeta } from '../data/lottie-data.js';
import type { LottieSyncError } from '../errors.js';

/** The tag names, in one place. */
export const TAG = {
  stage: 'lottie-sync-stage',
  player: 'lottie-sync-player',
  group: 'lottie-sync-group',
} as const;

/** What a player asks its stage to play. */
export interface PlayerConfig {
  /** Absolute URL, or null for nothing. */
  readonly src: string | null;
  /** The animation itself (an object or JSON text), which wins over `src`. */
  readonly data: object | string | null;
  /** In a `.lottie` file: the animation to play (null: the manifest's initial or first). */
  readonly animation: string | null;
  /** Null: follow the stage's `loop`; a number: that many passes in all. */
  readonly loop: boolean | number | null;
  /** Milliseconds the final frame is held between passes. */
  readonly intermission: number;
  /** Its own rate, a multiple of its timeline's. */
  readonly speed: number;
  readonly direction: PlayDirection;
  readonly mode: PlayMode;
  /** Frame range counted from the in-point, end exclusive; null for the whole file. */
  readonly segment: readonly [number, number] | null;
  readonly marker: string | null;
  /** Name of the group the player joins, or null (a `<lottie-sync-group>` around it fills in its own). */
  readonly group: string | null;
  /** This player is its group's master. */
  readonly master: boolean;
}

/** What a stage may tell a player: a private object the player hands over, never the element itself. */
export interface PlayerView {
  readonly element: HTMLElement;
  /** Put the leased canvas in the player (null: take it out). */
  mountCanvas(canvas: HTMLCanvasElement | null): void;
  /** The data is loaded and validated; nothing is drawn yet. */
  loaded(meta: LottieMeta, totalFrames: number, duration: number): void;
  /** `frame` is now on the player's canvas. */
  frameDrawn(frame: number): void;
  /** It finished its `passes`-th pass (`ended`: its last). */
  passed(passes: number, ended: boolean): void;
  /** Loading or drawing failed (fatal), or a setting was rejected (not fatal). */
  failed(error: LottieSyncError): void;
}

/** Controls on a timeline of one's own (a player's, a group's), taken from the stage's when first used. */
export interface OwnControls {
  play(): void;
  pause(): void;
  seek(seconds: number): void;
  readonly paused: boolean;
  readonly currentTime: number;
}

/** A player's place on a stage. */
export interface PlayerRegistration {
  /** The stage element, or null for the private clock of a player with no stage. */
  readonly stage: HTMLElement | null;
  /** The same for every registration handed out for one place on one stage (a group passing it on wraps it). */
  readonly place: object;
  update(config: PlayerConfig): void;
  /** The player alone (a player with no stage: its private clock). */
  readonly controls: OwnControls;
  /** With a trigger (`play-on`), its own timeline stays its own when the stage is controlled. */
  keep(permanent: boolean): void;
  release(): void;
}

/** A `<lottie-sync-group>`'s link to its stage. */
export interface GroupRegistration {
  readonly stage: HTMLElement;
  update(settings: GroupSettings): void;
  /** The group alone: its own timeline once used, until the stage is next controlled. */
  readonly controls: OwnControls;
  /** With a trigger (`play-on`), its own timeline stays its own when the stage is controlled. */
  keep(permanent: boolean): void;
  release(): void;
}

/** What each kind of registering element asks with, and what it is given. */
export interface RegistrationKinds {
  player: { readonly ask: PlayerView; readonly grant: PlayerRegistration };
  group: { readonly ask: { readonly name: string }; readonly grant: GroupRegistration };
}
export type RegistrationKind = keyof RegistrationKinds;

/**
 * Sent by a registering element when it connects. Bubbles and is composed, so
 * it crosses wrappers and shadow roots; the nearest registrar stops it and
 * calls `accept`.
 */
export class LottieSyncRegisterEvent<K extends RegistrationKind = RegistrationKind> extends Event {
  static readonly type = 'lottie-sync-register';
  constructor(
    readonly kind: K,
    readonly ask: RegistrationKinds[K]['ask'],
    readonly accept: (grant: RegistrationKinds[K]['grant']) => void,
  ) {
    super(LottieSyncRegisterEvent.type, { bubbles: true, composed: true, cancelable: true });
  }

  is<T extends RegistrationKind>(kind: T): this is LottieSyncRegisterEvent<T> {
    return (this.kind as RegistrationKind) === kind;
  }
}

/**
 * Where a registering element keeps its "ask again" function: a symbol shared
 * by every copy of the library on the page, so a stage of one copy finds the
 * players of another.
 */
export const RELINK = Symbol.for('lottie-sync.relink');

export type Relinkable = Element & { [RELINK]?: () => void };

declare global {
  interface GlobalEventHandlersEventMap {
    'lottie-sync-register': LottieSyncRegisterEvent;
  }
}
