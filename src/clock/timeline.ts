/**
 * A timeline vector, the model of the W3C Timing Object: where the timeline was
 * (`position`, seconds), how fast it moves (`velocity`, timeline seconds per
 * clock second) and when that was true (`timestamp`, clock milliseconds).
 * Nothing is sent per frame: every reader computes the position for its own
 * "now" from the same vector.
 */
export interface TimelineVector {
  readonly position: number;
  readonly velocity: number;
  readonly timestamp: number;
}

/** The vector's position at clock time `now` (milliseconds). */
export function positionAt(vector: TimelineVector, now: number): number {
  return vector.position + (vector.velocity * (now - vector.timestamp)) / 1000;
}

/** A new vector that keeps the current position and moves at `velocity` from `now`. */
export function withVelocity(vector: TimelineVector, velocity: number, now: number): TimelineVector {
  return { position: positionAt(vector, now), velocity, timestamp: now };
}

/** A new vector at `position`, keeping the velocity. */
export function withPosition(vector: TimelineVector, position: number, now: number): TimelineVector {
  return { position, velocity: vector.velocity, timestamp: now };
}

/** The vector of a timeline standing still at `position`. */
export function stoppedAt(position: number, now: number): TimelineVector {
  return { position, velocity: 0, timestamp: now };
}
