import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LottieSyncRegisterEvent, RELINK, type RegistrationKind, type RegistrationKinds, type Relinkable } from './protocol.js';

type Grant<K extends RegistrationKind> = RegistrationKinds[K]['grant'];

export interface RegisteringOptions<K extends RegistrationKind> {
  readonly kind: K;
  /** What the element asks with (read at each request). */
  ask(): RegistrationKinds[K]['ask'];
  /** Where the element goes when no registrar answers (a player's private clock), or null. */
  fallback?(): Grant<K> | null;
  /** A registration was taken (a new one, or another handle for the same place): tell it what to play. */
  granted(grant: Grant<K>, isNewPlace: boolean): void;
  /** The element no longer has a registration (it left the document). */
  released?(): void;
}

/** The same place on the same stage: players' registrations name their place; a group's is new each time. */
function samePlace(a: object | null, b: object): boolean {
  if (a === null) return false;
  if (a === b) return true;
  const placeOf = (grant: object) => (grant as { place?: object }).place;
  return placeOf(a) !== undefined && placeOf(a) === placeOf(b);
}

/**
 * The registering half of registration (a player, a group): it asks when its
 * host connects and whenever a registrar above asks it to, releases when the
 * host leaves, and keeps the registration it holds.
 */
export class RegisteringController<K extends RegistrationKind> implements ReactiveController {
  private current: Grant<K> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: RegisteringOptions<K>,
  ) {
    host.addController(this);
    (host as Relinkable)[RELINK] = () => this.relink();
  }

  /** The registration held now, or null. */
  get grant(): Grant<K> | null {
    return this.current;
  }

  hostConnected(): void {
    this.relink();
  }

  hostDisconnected(): void {
    this.current?.release();
    this.current = null;
    this.options.released?.();
  }

  /** Asks the nearest registrar (or the fallback) again; keeps the registration if the place is the same. */
  relink(): void {
    if (!this.host.isConnected) return;
    let accepted: Grant<K> | null = null;
    const { kind } = this.options;
    this.host.dispatchEvent(new LottieSyncRegisterEvent(kind, this.options.ask(), (grant) => (accepted = grant)));
    accepted ??= this.options.fallback?.() ?? null;
    if (accepted === null) {
      this.current?.release();
      this.current = null;
      return;
    }
    const previous = this.current;
    if (previous === accepted) return;
    const samePlaceAgain = samePlace(previous, accepted);
    if (!samePlaceAgain) previous?.release();
    this.current = accepted;
    this.options.granted(accepted, !samePlaceAgain);
  }
}
