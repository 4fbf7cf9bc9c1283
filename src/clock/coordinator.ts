import { playEnd, specDuration, type PlaybackSpec } from './frame-map.js';
import { positionAt, stoppedAt, withPosition, withVelocity, type TimelineVector } from './timeline.js';

/**
 * The sync coordinator: one timeline vector (for a whole stage, or a group
 * controlled on its own) with its play state and rate. Every player's frame is
 * computed from it at the tick's one timestamp (see `planDraws`). DOM-free.
 */
export class Coordinator {
  private vector: TimelineVector;
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

  positionAt(now: number): number {
    // A tick's timestamp (the frame's start) may precede the last change.
    return positionAt(this.vector, Math.max(now, this.vector.timestamp));
  }

  /** Takes `other`'s position, state and rate as of `now`. */
  copyFrom(other: Coordinator, now: number): void {
    this.rate = other.rate;
    this.playing = other.playing;
    this.vector = { position: other.positionAt(now), velocity: other.timeline.velocity, timestamp: now };
  }

  /** Takes a whole state at once (from another stage of a sync room). */
  setState(vector: TimelineVector, rate: number, playing: boolean): void {
    this.vector = vector;
    this.rate = rate;
    this.playing = playing;
  }

  play(now: number): void {
    this.playing = true;
    this.vector = withVelocity(this.vector, this.rate, now);
  }

  pause(now: number): void {
    this.playing = false;
    this.vector = withVelocity(this.vector, 0, now);
  }

  seek(position: number, now: number): void {
    this.vector = withPosition(this.vector, position, now);
  }

  setPlaybackRate(rate: number, now: number): void {
    this.rate = rate;
    if (this.playing) this.vector = withVelocity(this.vector, rate, now);
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
