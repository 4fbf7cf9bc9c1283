import { Coordinator } from './coordinator.js';

/** How a group's followers follow its master. */
export type SyncMode = 'realtime' | 'batched' | 'lazy';
/** What "in sync" means for files of different lengths: the same time, or the same share of the master's loop. */
export type GroupAlign = 'time' | 'progress';

export interface GroupSettings {
  readonly mode: SyncMode;
  /** With `batched`: followers are drawn on every `batch`-th tick. */
  readonly batch: number;
  /** With `lazy`: drift in frames that triggers a correction. */
  readonly maxDrift: number;
  readonly align: GroupAlign;
}

export const DEFAULT_GROUP: GroupSettings = { mode: 'realtime', batch: 3, maxDrift: 2, align: 'time' };

/** Longest step a lazy follower takes in one tick: a blocked main thread makes it fall behind, as a free-running player does. */
export const LAZY_MAX_STEP_SECONDS = 0.05;
/** Lazy followers close a drift by changing their rate by at most this share... */
const LAZY_MAX_NUDGE = 0.5;
/** ...aiming to close it within this many seconds. */
const LAZY_CATCH_UP_SECONDS = 0.5;
/** Drifts larger than this many times `maxDrift` are closed by seeking instead. */
const LAZY_SEEK_FACTOR = 8;

/** A lazy follower's own, free-running position. */
export interface LazyState {
  position: number;
  rate: number;
  at: number;
}

/**
 * Steps a lazy follower to `now` and corrects it against `target` (the group's
 * position for it): small drift is closed by nudging its rate, large drift by
 * seeking. It advances by at most `maxStepSeconds` a tick, so a blocked main
 * thread makes it fall behind. Returns the follower's position. DOM-free.
 */
export function stepLazy(
  state: LazyState,
  target: number,
  velocity: number,
  now: number,
  frameRate: number,
  maxDrift: number,
  maxStepSeconds = LAZY_MAX_STEP_SECONDS,
): number {
  const seconds = Math.min(Math.max(now - state.at, 0) / 1000, maxStepSeconds);
  state.at = now;
  state.position += seconds * velocity * state.rate;
  const drift = target - state.position;
  const driftFrames = Math.abs(drift * frameRate);
  if (driftFrames > maxDrift * LAZY_SEEK_FACTOR) {
    state.position = target;
    state.rate = 1;
  } else if (driftFrames > maxDrift) {
    const nudge = drift / LAZY_CATCH_UP_SECONDS / (velocity || 1);
    state.rate = 1 + Math.max(-LAZY_MAX_NUDGE, Math.min(LAZY_MAX_NUDGE, nudge));
  } else if (driftFrames < 0.5) {
    state.rate = 1;
  }
  return state.position;
}

/** A group on a stage: its members in joining order, its settings, and its own clock once controlled on its own. */
export class SyncGroup<M> {
  settings: GroupSettings = DEFAULT_GROUP;
  /** Null while the group follows the stage's timeline. */
  clock: Coordinator | null = null;
  /** Its own timeline stays when the stage is controlled (it has a `play-on` trigger). */
  keepsClock = false;
  readonly members = new Set<M>();
  /** Draw ticks so far (batched mode counts them). */
  ticks = 0;
  /** Lazy followers take the group's position on their next tick (after play, pause, seek). */
  resync = true;

  constructor(readonly name: string) {}

  /** Takes its own timeline, starting from `stage`'s state, for group-only control. */
  ownClock(stage: Coordinator, now: number): Coordinator {
    if (!this.clock) {
      this.clock = new Coordinator(now);
      this.clock.copyFrom(stage, now);
    }
    return this.clock;
  }
}
