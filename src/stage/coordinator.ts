import { frameAt, playLength, specDuration, type PlaybackSpec } from '../clock/frame-map.js';
import { positionAt, stoppedAt, withPosition, withVelocity, type TimelineVector } from '../clock/timeline.js';

/** A player as the coordinator sees it: what it plays and what its canvas shows. */
export interface Track {
  /** Null until the player's data is loaded. */
  readonly spec: PlaybackSpec | null;
  /** Players with equal keys (same file, same pixel size) can share one drawing. */
  readonly renderKey: string | null;
  /** The frame on the track's canvas, -1 when it shows nothing yet. */
  readonly shownFrame: number;
}

/** Frames to draw this tick: render key, then frame, then the tracks that show it. */
export type DrawPlan<T extends Track> = Map<string, Map<number, T[]>>;

/**
 * The sync coordinator: one timeline vector for a whole stage, and the
 * decision, on each tick, of which frame every player shows. DOM-free.
 *
 * All players are computed from the same timestamp, so players that play the
 * same spec show the same frame on every tick, and a player only draws when
 * its frame number changes.
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
   * (some player loops, or none is loaded). Without loop the stage ends when its
   * longest player shows its final frame.
   */
  static endOf(specs: Iterable<PlaybackSpec>): number | null {
    let end: number | null = null;
    for (const spec of specs) {
      if (spec.loop) return null;
      end = Math.max(end ?? 0, playLength(spec));
    }
    return end;
  }

  /** The longest single pass of any player, in seconds (0 with none loaded). */
  static durationOf(specs: Iterable<PlaybackSpec>): number {
    let duration = 0;
    for (const spec of specs) duration = Math.max(duration, specDuration(spec));
    return duration;
  }

  /**
   * Which tracks must draw which frame, grouped for drawing once. `positionOf`
   * gives each track's timeline position (the stage's, or its group's); it
   * returns null for a track that should not draw this tick.
   */
  plan<T extends Track>(tracks: Iterable<T>, positionOf: (track: T) => number | null): DrawPlan<T> {
    const plan: DrawPlan<T> = new Map();
    for (const track of tracks) {
      if (!track.spec || track.renderKey === null) continue;
      const position = positionOf(track);
      if (position === null) continue;
      const frame = frameAt(position, track.spec);
      if (frame === track.shownFrame) continue;
      let frames = plan.get(track.renderKey);
      if (!frames) plan.set(track.renderKey, (frames = new Map()));
      const list = frames.get(frame);
      if (list) list.push(track);
      else frames.set(frame, [track]);
    }
    return plan;
  }
}
