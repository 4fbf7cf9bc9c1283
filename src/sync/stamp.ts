/**
 * When a timeline change was made, as a stamp that travels with the change:
 * `[ms, counter, origin]`, the milliseconds on the room's shared clock (the
 * relay's, as the page estimates it; the epoch clock across tabs), a counter
 * for changes within one millisecond, and the sender. Stamps order every
 * change of a room the same way everywhere (ms, then counter, then origin),
 * and nothing that restarts can reset them: a restarted Redis or relay holds
 * no counter that later changes depend on. DOM-free: the relay uses it too.
 */
export type Stamp = readonly [ms: number, counter: number, origin: string];

/** Counters stay well inside exact integers; past this a clock moves to the next millisecond. */
export const MAX_STAMP_COUNTER = 2 ** 31 - 1;

/** Latest stamp milliseconds accepted (a date far past any real clock, short of float trouble). */
export const MAX_STAMP_MS = 2 ** 50;

/** Origins are sender ids: ASCII, so code-unit order (here) and byte order (Redis) agree. */
export const ORIGIN = /^[\w.:-]{1,64}$/;

/** Negative when `a` is older than `b`, positive when newer, 0 for the same stamp. */
export function compareStamps(a: Stamp, b: Stamp): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  if (a[2] === b[2]) return 0;
  return a[2] < b[2] ? -1 : 1;
}

/** Whether `value` (any JSON value) is a well-formed stamp. */
export function isStamp(value: unknown): value is Stamp {
  if (!Array.isArray(value) || value.length !== 3) return false;
  const [ms, counter, origin] = value as unknown[];
  return (
    Number.isInteger(ms) &&
    (ms as number) >= 0 &&
    (ms as number) <= MAX_STAMP_MS &&
    Number.isInteger(counter) &&
    (counter as number) >= 0 &&
    (counter as number) <= MAX_STAMP_COUNTER &&
    typeof origin === 'string' &&
    ORIGIN.test(origin)
  );
}

/**
 * A hybrid logical clock: each stamp it gives is newer than every stamp it
 * has given or seen, and follows `now()` (whole milliseconds) when that is
 * ahead. So a change made after seeing another always orders after it, even
 * when clocks disagree.
 */
export class StampClock {
  private last: Stamp = [0, 0, ''];

  constructor(
    readonly origin: string,
    private readonly now: () => number,
  ) {}

  /** A stamp for a change made now. */
  next(): Stamp {
    const now = Math.floor(this.now());
    let ms = Math.max(Number.isFinite(now) ? now : 0, this.last[0]);
    let counter = ms === this.last[0] ? this.last[1] + 1 : 0;
    if (counter > MAX_STAMP_COUNTER) {
      ms += 1;
      counter = 0;
    }
    this.last = [ms, counter, this.origin];
    return this.last;
  }

  /** A stamp seen from elsewhere: later ones from here order after it. */
  observe(stamp: Stamp): void {
    if (compareStamps(stamp, this.last) > 0) this.last = stamp;
  }
}
