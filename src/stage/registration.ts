import type { PlayMode, PlayDirection } from '../clock/frame-map.js';
import type { LottieSyncError } from '../errors.js';
import type { LottieMeta } from '../data/lottie-data.js';
import type { GroupSettings } from './group.js';

/** What a player asks its stage to play. */
export interface PlayerConfig {
  /** Absolute URL, or null for nothing. */
  readonly src: string | null;
  /** Null: follow the stage's `loop`. */
  readonly loop: boolean | null;
  readonly direction: PlayDirection;
  readonly mode: PlayMode;
  /** Frame range counted from the in-point, end exclusive; null for the whole file. */
  readonly segment: readonly [number, number] | null;
  readonly marker: string | null;
  /** Name of the group the player joins, or null. */
  readonly group: string | null;
  /** This player is its group's master. */
  readonly master: boolean;
}

/** What a player's stage tells it. The player implements this. */
export interface PlayerView {
  readonly element: HTMLElement;
  /** Put the leased canvas in the player (null: take it out). */
  mountCanvas(canvas: HTMLCanvasElement | null): void;
  /** The data is loaded and validated; nothing is drawn yet. */
  loaded(meta: LottieMeta, totalFrames: number, duration: number): void;
  /** `frame` is now on the player's canvas. */
  frameDrawn(frame: number): void;
  /** Loading or drawing failed (fatal), or a setting was rejected (not fatal). */
  failed(error: LottieSyncError): void;
}

/** A player's place on a stage, handed to it when it registers. */
export interface PlayerRegistration {
  /** The stage element, or null for the private clock of a player with no stage. */
  readonly stage: HTMLElement | null;
  update(config: PlayerConfig): void;
  release(): void;
}

/**
 * Sent by a player when it connects. Bubbles and is composed, so it crosses
 * wrappers and shadow roots; the nearest stage stops it and calls `accept`.
 */
export class LottieSyncRegisterEvent extends Event {
  static readonly type = 'lottie-sync-register';
  constructor(
    readonly view: PlayerView,
    readonly accept: (registration: PlayerRegistration) => void,
  ) {
    super(LottieSyncRegisterEvent.type, { bubbles: true, composed: true, cancelable: true });
  }
}

/** A `<lottie-sync-group>`'s link to its stage. */
export interface GroupRegistration {
  update(settings: GroupSettings): void;
  play(): void;
  pause(): void;
  seek(seconds: number): void;
  readonly paused: boolean;
  readonly currentTime: number;
  release(): void;
}

/** Sent by a group element when it connects; the nearest stage answers like it does for players. */
export class LottieSyncGroupRegisterEvent extends Event {
  static readonly type = 'lottie-sync-register-group';
  constructor(
    readonly name: string,
    readonly accept: (registration: GroupRegistration) => void,
  ) {
    super(LottieSyncGroupRegisterEvent.type, { bubbles: true, composed: true, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lottie-sync-register': LottieSyncRegisterEvent;
    'lottie-sync-register-group': LottieSyncGroupRegisterEvent;
  }
}
