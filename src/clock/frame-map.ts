/**
 * Maps timeline seconds to a whole frame of one animation. Pure and DOM-free,
 * so the same function serves the main thread, a worker and the tests.
 */

export type PlayMode = 'normal' | 'bounce';
export type PlayDirection = 1 | -1;

/** What a player plays: a frame range of a file at the file's frame rate. */
export interface PlaybackSpec {
  /** Frames per second of the file (`fr`). */
  readonly frameRate: number;
  /** First frame played, counted from the file's in-point (inclusive). */
  readonly start: number;
  /** Frame after the last one played, counted from the file's in-point (exclusive). */
  readonly end: number;
  readonly loop: boolean;
  readonly direction: PlayDirection;
  readonly mode: PlayMode;
}

/** Floating-point slack so that, for example, 0.7 s at 30 fps is frame 21, not 20. */
const EPSILON = 1e-6;

/** Number of whole frames the spec plays once through. */
export function frameCount(spec: PlaybackSpec): number {
  return Math.max(1, spec.end - spec.start);
}

/** Seconds one pass through the spec lasts (a bounce cycle lasts twice this). */
export function specDuration(spec: PlaybackSpec): number {
  return frameCount(spec) / spec.frameRate;
}

/** Seconds after which a non-looping spec shows its final frame for good. */
export function playLength(spec: PlaybackSpec): number {
  return spec.mode === 'bounce' ? 2 * specDuration(spec) : specDuration(spec);
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/**
 * The whole frame (counted from the file's in-point) shown at `seconds` on the
 * timeline. Time 0 is the first frame of the spec; a loop wraps, bounce plays
 * forwards then backwards (each half lasting one pass), direction -1 plays the
 * range from its end. Without loop the final frame is held.
 */
export function frameAt(seconds: number, spec: PlaybackSpec): number {
  const count = frameCount(spec);
  const cycle = spec.mode === 'bounce' ? 2 * count : count;
  let index = Math.floor(seconds * spec.frameRate + EPSILON);
  if (spec.loop) {
    index = modulo(index, cycle);
  } else {
    index = Math.min(Math.max(index, 0), cycle - 1);
  }
  if (spec.mode === 'bounce' && index >= count) {
    index = cycle - 1 - index;
  }
  if (spec.direction === -1) {
    index = count - 1 - index;
  }
  return spec.start + index;
}
