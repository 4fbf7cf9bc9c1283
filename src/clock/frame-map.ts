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
  /** With `loop`: how many passes in all (default Infinity: for ever). */
  readonly loops?: number;
  /** Seconds (of its timeline, whatever its speed) the final frame is held between passes (default 0). */
  readonly intermission?: number;
  /** The player's own rate, a multiple of its timeline's (default 1). */
  readonly speed?: number;
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

/** Passes the spec plays: 1 without loop, its count (Infinity for ever) with it. */
export function passesOf(spec: PlaybackSpec): number {
  return spec.loop ? (spec.loops ?? Infinity) : 1;
}

/** Seconds of the player's own time one pass lasts, its intermission included (a bounce cycle is twice the duration). */
function cycleSeconds(spec: PlaybackSpec): number {
  return playLength(spec) + (spec.intermission ?? 0) * (spec.speed ?? 1);
}

/** Seconds one play through lasts at speed 1 (a bounce: forwards and back), without loops. */
export function playLength(spec: PlaybackSpec): number {
  return spec.mode === 'bounce' ? 2 * specDuration(spec) : specDuration(spec);
}

/** Timeline seconds after which the spec shows its final frame for good (Infinity when it loops for ever). */
export function playEnd(spec: PlaybackSpec): number {
  const passes = passesOf(spec);
  if (passes === Infinity) return Infinity;
  const speed = Math.abs(spec.speed ?? 1) || 1;
  // The last pass needs no intermission after it.
  return (passes * playLength(spec)) / speed + (passes - 1) * (spec.intermission ?? 0);
}

/** The pass (0 first) the spec is in at `seconds` on its timeline; past the last, the number of passes. */
export function passAt(seconds: number, spec: PlaybackSpec): number {
  const own = seconds * (spec.speed ?? 1);
  const pass = Math.floor((own * spec.frameRate + EPSILON) / (cycleSeconds(spec) * spec.frameRate));
  return Math.min(Math.max(pass, 0), passesOf(spec));
}

/**
 * The whole frame (counted from the file's in-point) shown at `seconds` on the
 * timeline. Time 0 is the first frame of the spec; the player's `speed`
 * scales its time; a loop wraps (after its count of passes, and the
 * intermission between them, holding the final frame), bounce plays forwards
 * then backwards (each half lasting one pass), direction -1 plays the range
 * from its end. Without loop the final frame is held.
 */
export function frameAt(seconds: number, spec: PlaybackSpec): number {
  const count = frameCount(spec);
  const frames = spec.mode === 'bounce' ? 2 * count : count;
  const passes = passesOf(spec);
  // In frames of the player's own time; whole frames only, robust to floating-point error.
  const position = seconds * (spec.speed ?? 1) * spec.frameRate + EPSILON;
  const cycle = frames + (spec.intermission ?? 0) * (spec.speed ?? 1) * spec.frameRate;
  let index: number;
  if (passes === 1) index = Math.min(Math.max(Math.floor(position), 0), frames - 1);
  else {
    const pass = Math.floor(position / cycle);
    if (passes !== Infinity && position < 0) index = 0;
    else if (pass >= passes) index = frames - 1;
    else index = Math.min(Math.floor(position - pass * cycle), frames - 1);
  }
  if (spec.mode === 'bounce' && index >= count) {
    index = frames - 1 - index;
  }
  if (spec.direction === -1) {
    index = count - 1 - index;
  }
  return spec.start + index;
}
