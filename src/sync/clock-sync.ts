/**
 * Clock sync, NTP style, against a relay's clock. Each ping bounds the offset
 * (relay minus local): it lies between t1 - t3 and t1 - t0, since neither
 * direction can take less than no time. The estimate is the middle of the
 * intersection of the recent samples' bounds: it takes the least-delayed
 * outbound and the least-delayed return trip even when they come from
 * different pings, which halves the error of trusting the single
 * lowest-round-trip sample under jittered queues. (If drift makes the
 * intersection empty, the lowest-round-trip sample is used.) The offset in use
 * follows the estimate: corrections up to `maxSlewMs` are slewed (at most
 * `slewRate` ms per ms of elapsed time, so displayed time never jumps back),
 * larger ones are applied at once. DOM-free.
 */
export class ClockSync {
  private samples: { offset: number; rtt: number; low: number; high: number }[] = [];
  private current: number | null = null;
  private target = 0;
  private updatedAt = 0;

  constructor(
    readonly keep = 32,
    readonly maxSlewMs = 250,
    readonly slewRate = 0.05,
  ) {}

  /** Adds a ping's times (local epoch ms for t0 and t3, relay epoch ms for t1); returns the estimate. */
  addSample(t0: number, t1: number, t3: number): number {
    const rtt = Math.max(0, t3 - t0);
    this.samples.push({ offset: t1 - (t0 + t3) / 2, rtt, low: t1 - t3, high: t1 - t0 });
    if (this.samples.length > this.keep) this.samples.shift();
    const low = Math.max(...this.samples.map((sample) => sample.low));
    const high = Math.min(...this.samples.map((sample) => sample.high));
    // The relay's clock reads whole milliseconds: bounds that miss by that much still meet.
    if (low <= high + 1) {
      this.target = (low + high) / 2;
    } else {
      // Ties go to the newer sample: clocks drift, so fresher is better.
      this.target = this.samples.reduce((a, b) => (b.rtt <= a.rtt ? b : a)).offset;
    }
    return this.target;
  }

  /** Samples kept now (at most `keep`). */
  get sampleCount(): number {
    return this.samples.length;
  }

  /** Lowest round trip among the kept samples (ms), or null before the first. */
  get roundTrip(): number | null {
    return this.samples.length ? Math.min(...this.samples.map((s) => s.rtt)) : null;
  }

  /** The offset to use at local time `now` (ms): relay time = local time + offset. */
  offsetAt(now: number): number {
    if (this.current === null || Math.abs(this.target - this.current) > this.maxSlewMs) {
      this.current = this.samples.length ? this.target : 0;
    } else {
      const step = Math.max(0, now - this.updatedAt) * this.slewRate;
      const delta = this.target - this.current;
      this.current += Math.max(-step, Math.min(step, delta));
    }
    this.updatedAt = now;
    return this.current;
  }

  /** Forgets the samples (a new connection may reach another relay). */
  reset(): void {
    this.samples = [];
  }
}
