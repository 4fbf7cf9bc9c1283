/** After a reset, the estimate in use holds until the new one can be off by at most this (ms)... */
const HOLD_UNCERTAINTY_MS = 4;
/**
 * ...or rests on this many samples (the fast pings' 13 s: under 50-200 ms of
 * jitter a few dozen samples still leave it 5-20 ms off, which the old
 * estimate, a millisecond or two off, is not; relays' clocks agree within
 * NTP's error), or the two differ by more than `maxSlewMs` (the new relay's
 * clock is another).
 */
const HOLD_SAMPLES = 128;

/**
 * The step of this realm's `performance.now()` in ms (browsers coarsen it: 1 ms
 * in Firefox and WebKit, 0.1 ms in Chromium without cross-origin isolation):
 * the least change seen over a few changes, spinning at most `budgetMs`.
 */
export function localClockResolution(now: () => number = () => performance.now(), budgetMs = 4): number {
  let last = now();
  const end = last + budgetMs;
  let least = Infinity;
  // A clock that never moves (a test's) gives up after a bounded number of reads.
  for (let changes = 0, reads = 0; changes < 3 && reads < 1_000_000; reads += 1) {
    const reading = now();
    if (reading > last) {
      least = Math.min(least, reading - last);
      last = reading;
      changes += 1;
    }
    if (reading >= end) break;
  }
  return Number.isFinite(least) ? least : budgetMs;
}

let pageStep: number | null = null;

/** This realm's clock step, measured on first use (it does not change while the page lives). */
export function pageClockResolution(): number {
  return (pageStep ??= localClockResolution());
}

/**
 * Clock sync, NTP style, against a relay's clock. Each ping bounds the offset
 * (relay minus local): it lies between t1 - t3 and t1 - t0, since neither
 * direction can take less than no time. The estimate is the middle of the
 * intersection of the recent samples' bounds: it takes the least-delayed
 * outbound and the least-delayed return trip even when they come from
 * different pings, which halves the error of trusting the single
 * lowest-round-trip sample under jittered queues; with n samples of
 * independent jitter its error shrinks as 1/n. The relay's clock reads whole
 * milliseconds (`resolutionMs`), which widens each upper bound by that much,
 * and the page's clock reads steps of `localResolutionMs` (1 ms in Firefox and
 * WebKit, 0.1 ms in Chromium: see `localClockResolution`), which widens each
 * lower bound, so the estimate is not biased by either truncation. Clocks drift apart, so a
 * sample's bounds widen with its age by `driftPpm` (NTP's dispersion rate, 15
 * ppm): old samples fade instead of pulling the estimate, and none is kept
 * longer than `maxAgeMs`. Past `keep` samples the oldest that bounds nothing
 * goes, so the estimate does not wobble as the window moves. If the bounds
 * stop meeting (a clock was stepped by more than a round trip), the oldest
 * samples are dropped until they meet again. The offset in use follows the
 * estimate: corrections up to `maxSlewMs` are slewed (at most
 * `slewRate` ms per ms of elapsed time, so displayed time never jumps back),
 * larger ones are applied at once. The first estimate is taken at once too
 * (before it there is no offset to slew from), and `snap()` takes the
 * estimate at once while nothing is shown yet (a stage joining its room).
 * DOM-free.
 */
export class ClockSync {
  private samples: { rtt: number; low: number; high: number; at: number }[] = [];
  private current: number | null = null;
  private target = 0;
  /** Half the width of the samples' common bounds: how far the estimate can be off (ms). */
  private halfWidth = Infinity;
  private updatedAt = 0;
  /** After a reset: the offset in use stays until the new estimate is good (see reset). */
  private holding = false;

  constructor(
    readonly keep = 128,
    readonly maxSlewMs = 250,
    readonly slewRate = 0.05,
    /** The relay clock's resolution (ms): Date.now() reads whole milliseconds, rounded down. */
    readonly resolutionMs = 1,
    /** Largest drift between the two clocks allowed for, in parts per million. */
    readonly driftPpm = 15,
    /** Samples older than this (local ms) are dropped. */
    readonly maxAgeMs = 120_000,
    /** The page clock's step (ms): t0 and t3 are read rounded down to it. */
    readonly localResolutionMs = 0,
  ) {}

  /** Adds a ping's times (local epoch ms for t0 and t3, relay epoch ms for t1); returns the estimate. */
  addSample(t0: number, t1: number, t3: number): number {
    // A malformed answer is no sample.
    if (!Number.isFinite(t0) || !Number.isFinite(t1) || !Number.isFinite(t3) || t3 < t0) return this.target;
    const rtt = Math.max(0, t3 - t0);
    // The relay read t1 somewhere in [t1, t1 + resolution), and this page t3 in [t3, t3 + its own).
    this.samples.push({ rtt, low: t1 - t3 - this.localResolutionMs, high: t1 + this.resolutionMs - t0, at: t3 });
    while (t3 - this.samples[0]!.at > this.maxAgeMs) this.samples.shift();
    const drift = this.driftPpm * 1e-6;
    if (this.samples.length > this.keep) this.dropLoosest(t3, drift);
    for (;;) {
      let low = -Infinity;
      let high = Infinity;
      for (const sample of this.samples) {
        const slack = (t3 - sample.at) * drift;
        low = Math.max(low, sample.low - slack);
        high = Math.min(high, sample.high + slack);
      }
      if (low <= high) {
        this.target = (low + high) / 2;
        this.halfWidth = (high - low) / 2;
        return this.target;
      }
      // Bounds that no longer meet: a clock was stepped; the oldest samples go (the newest always meets itself).
      this.samples.shift();
    }
  }

  /**
   * Drops one sample to stay within `keep`: the oldest that bounds nothing. The
   * estimate rests on two samples only (the tightest lower and upper bound),
   * so dropping any other leaves it where it is; dropping the oldest outright
   * would move it by a millisecond or more whenever that one was a bound.
   */
  private dropLoosest(now: number, drift: number): void {
    let lowest = 0;
    let highest = 0;
    for (let i = 1; i < this.samples.length; i += 1) {
      const sample = this.samples[i]!;
      const slack = (now - sample.at) * drift;
      const best = this.samples[lowest]!;
      if (sample.low - slack > best.low - (now - best.at) * drift) lowest = i;
      const top = this.samples[highest]!;
      if (sample.high + slack < top.high + (now - top.at) * drift) highest = i;
    }
    let drop = 0;
    while (drop === lowest || drop === highest) drop += 1;
    this.samples.splice(drop, 1);
  }

  /** Samples kept now (at most `keep`). */
  get sampleCount(): number {
    return this.samples.length;
  }

  /** Lowest round trip among the kept samples (ms), or null before the first. */
  get roundTrip(): number | null {
    return this.samples.length ? Math.min(...this.samples.map((s) => s.rtt)) : null;
  }

  /** How far the estimate can be off (ms): half the width of what every kept sample allows; Infinity before the first. */
  get uncertainty(): number {
    return this.samples.length ? this.halfWidth : Infinity;
  }

  /** Uses the estimate at once from now on (no slewing towards it). */
  snap(): void {
    if (!this.samples.length) return;
    this.current = this.target;
    this.holding = false;
  }

  /** The offset to use at local time `now` (ms): relay time = local time + offset. */
  offsetAt(now: number): number {
    // No estimate yet: no offset to slew from, so the first one is taken at once.
    if (this.samples.length === 0) return this.current ?? 0;
    if (this.holding) {
      const another = Math.abs(this.target - this.current!) > this.maxSlewMs;
      if (!another && this.halfWidth > HOLD_UNCERTAINTY_MS && this.samples.length < HOLD_SAMPLES) {
        this.updatedAt = now;
        return this.current!;
      }
      this.holding = false;
    }
    if (this.current === null || Math.abs(this.target - this.current) > this.maxSlewMs) {
      this.current = this.target;
    } else {
      const step = Math.max(0, now - this.updatedAt) * this.slewRate;
      const delta = this.target - this.current;
      this.current += Math.max(-step, Math.min(step, delta));
    }
    this.updatedAt = now;
    return this.current;
  }

  /**
   * Forgets the samples (a new connection may reach another relay). The offset
   * in use holds until the new samples' estimate is good (`HOLD_UNCERTAINTY_MS`,
   * or `HOLD_SAMPLES` samples): the first ones alone can be off by half a
   * round trip, and following them would move the timeline by frames.
   */
  reset(): void {
    this.samples = [];
    this.halfWidth = Infinity;
    this.holding = this.current !== null;
  }

  /** The estimate of the kept samples (ms, relay minus local), unslewed; 0 before the first. */
  get estimate(): number {
    return this.samples.length ? this.target : (this.current ?? 0);
  }
}
