/** Token bucket: `rate` tokens a second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly rate: number,
    private readonly burst = rate * 2,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.refilledAt = now;
  }

  /** Takes one token if there is one. */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** What to do about a connection's latest error. */
export type ErrorVerdict = 'reply' | 'mute' | 'silent' | 'close';

/**
 * A connection's errors in a window: the first `replies` are answered (an
 * honest client learns what it did wrong), the next one says further errors
 * go unanswered (`mute`), the rest are counted in silence (a flood costs the
 * relay no replies), and at `limit` the connection is closed.
 */
export class ErrorBudget {
  private count = 0;
  private since: number;

  constructor(
    readonly replies = 10,
    readonly limit = 50,
    readonly windowMs = 10_000,
    now = Date.now(),
  ) {
    this.since = now;
  }

  add(now = Date.now()): ErrorVerdict {
    if (now - this.since > this.windowMs) {
      this.count = 0;
      this.since = now;
    }
    this.count += 1;
    if (this.count >= this.limit) return 'close';
    if (this.count <= this.replies) return 'reply';
    return this.count === this.replies + 1 ? 'mute' : 'silent';
  }
}
