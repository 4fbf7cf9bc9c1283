/**
 * Attribute values: pure parsers and checks, shared by the elements. A value
 * that cannot be used is kept as an `InvalidValue` (or reported as false by a
 * check), so the element can name it in its warning and fall back to the
 * default.
 */

/** An attribute value that could not be read, kept so the element can report it. */
export class InvalidValue {
  constructor(readonly raw: string) {}
}

/** A whole number of at least `min`, or null when the attribute is absent. */
export function isWholeAtLeast(value: number | null, min: number): boolean {
  return value === null || (Number.isInteger(value) && value >= min);
}

/** A finite number above 0 (absent is not allowed). */
export function isPositive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}
