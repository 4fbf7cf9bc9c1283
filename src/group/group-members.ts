import { LottieSyncRegisterEvent, type PlayerConfig, type PlayerRegistration, type PlayerView } from '../registration/protocol.js';

interface Passed {
  readonly registration: PlayerRegistration;
  /** What the player last asked to play (to name the group again when it is renamed). */
  last: PlayerConfig | null;
}

/**
 * The group's side of its players' registrations: a player inside a group asks
 * the group, the group asks its stage for it, and hands the player back the
 * stage's registration with the group's name filled in (unless the player
 * names a group of its own).
 */
export class GroupMembers {
  private readonly passed = new Map<PlayerRegistration, Passed>();

  constructor(private readonly groupName: () => string) {}

  /** Asks the registrar above `group` for the player; null when the group is on no stage. */
  pass(group: HTMLElement, view: PlayerView): PlayerRegistration | null {
    let granted: PlayerRegistration | null = null;
    group.dispatchEvent(new LottieSyncRegisterEvent('player', view, (registration) => (granted = registration)));
    return granted === null ? null : this.wrap(granted);
  }

  /** The group's name changed: its players join it under the new name. */
  renamed(): void {
    for (const [inner, passed] of this.passed) if (passed.last) inner.update(this.named(passed.last));
  }

  private wrap(inner: PlayerRegistration): PlayerRegistration {
    const known = this.passed.get(inner);
    if (known) return known.registration;
    const passed: Passed = {
      last: null,
      registration: {
        stage: inner.stage,
        place: inner.place,
        controls: inner.controls,
        keep: (permanent) => inner.keep?.(permanent),
        update: (config) => {
          passed.last = config;
          inner.update(this.named(config));
        },
        release: () => {
          this.passed.delete(inner);
          inner.release();
        },
      },
    };
    this.passed.set(inner, passed);
    return passed.registration;
  }

  private named(config: PlayerConfig): PlayerConfig {
    return config.group === null ? { ...config, group: this.groupName() } : config;
  }
}
