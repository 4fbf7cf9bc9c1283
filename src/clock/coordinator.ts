import { playEnd, specDuration, type PlaybackSpec } from './frame-map.js';
import { positionAt, stoppedAt, withPosition, withVelocity, type TimelineVector } from './timeline.js';

/**
 * The sync coordinator: one timeline vector (for a whole stage, or a group
 * controlled on its own) with its play state and rate. Every player's frame is
 * computed from it at the tick's one timestamp (see `planDraws`). A change may
 * be scheduled (the Timing Object's model: a vector whose timestamp is in the
 * future): until its moment the timeline moves as it did, then it follows the
 * new vector, so every page of a sync room changes on the same frame. The play
 * state and rate are the new ones at once. DOM-free.
 */
export class Coordinator {
  private vector: TimelineVector;
  /** The vector in force until a scheduled `vector` takes over at its timestamp (null: none pending). */
  private before: TimelineVector | null = null;
  private rate = 1;
  /** Playing at rate 0 is still playing (it moves again when the rate changes). */
  private playing = false;

  constructor(now: number) {
    this.vector = stoppedAt(0, now);
  }

  get timeline(): TimelineVector {
    return this.vector;
  }

  get paused(): boolean {
    return !this.playing;
  }

  /** Playback rate used while playing (negative plays backwards). */
  get playbackRate(): number {
    return this.rate;
  }

  /** Whether a change is scheduled for after `now` (the stage keeps ticking until it lands). */
  pendingAt(now: number): boolean {
    return this.before !== null && now < this.vector.timestamp;
  }

  /** The vector in force at `now`: the one before a change scheduled for later, else the latest. */
  private vectorAt(now: number): TimelineVector {
    return this.pendingAt(now) ? this.before! : this.vector;
  }

  positionAt(now: number): number {
    const vector = this.vectorAt(now);
    // A tick's timestamp (the frame's start) may precede the last change.
    return positionAt(vector, Math.max(now, vector.timestamp));
  }

  /** Replaces the vector by `next` of it, from `at` on (`now` or later: until then the timeline moves as before). */
  private change(next: (from: TimelineVector) => TimelineVector, now: number, at: number): void {
    const showing = this.vectorAt(now);
    this.vector = next(this.vector);
    this.before = at > now ? showing : null;
  }

  /** Takes `other`'s position, state and rate as of `now`. */
  copyFrom(other: Coordinator, now: number): void {
    this.rate = other.rate;
    this.playing = other.playing;
    // The motion in force now, and a change the other has scheduled for later, which lands here too.
    const inForce = other.vectorAt(now);
    this.vector = { position: other.positionAt(now), velocity: inForce.velocity, timestamp: now };
    this.before = null;
    if (other.pendingAt(now)) {
      this.before = this.vector;
      this.vector = other.vector;
    }
  }

  /** Takes a whole state (from another stage of a sync room); a vector stamped later than `now` takes over then. */
  setState(vector: TimelineVector, rate: number, playing: boolean, now = -Infinity): void {
    this.change(() => vector, now, vector.timestamp);
    this.rate = rate;
    this.playing = playing;
  }

  /** Plays from `at` (default `now`; later schedules it). */
  play(now: number, at = now): void {
    this.playing = true;
    this.change((from) => withVelocity(from, this.rate, at), now, at);
  }

  pause(now: number, at = now): void {
    this.playing = false;
    this.change((from) => withVelocity(from, 0, at), now, at);
  }

  seek(position: number, now: number, at = now): void {
    this.change((from) => withPosition(from, position, at), now, at);
  }

  setPlaybackRate(rate: number, now: number, at = now): void {
    this.rate = rate;
    if (this.playing) this.change((from) => withVelocity(from, rate, at), now, at);
  }

  /**
   * Timeline seconds at which the stage has finished, or null if it never does
   * (some player loops for ever, or none is loaded). Otherwise the stage ends
   * when its last player shows its final frame for good (after its passes).
   */
  static endOf(specs: Iterable<PlaybackSpec>): number | null {
    let end: number | null = null;
    for (const spec of specs) {
      const specEnd = playEnd(spec);
      if (specEnd === Infinity) return null;
      end = Math.max(end ?? 0, specEnd);
    }
    return end;
  }

  /** The longest single pass of any player, in seconds (0 with none loaded). */
  static durationOf(specs: Iterable<PlaybackSpec>): number {
    let duration = 0;
    for (const spec of specs) duration = Math.max(duration, specDuration(spec));
    return duration;
  }
}
