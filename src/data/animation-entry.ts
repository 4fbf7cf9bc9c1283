import { LottieSyncError } from '../errors.js';
import { readLottieMeta, type LottieMeta } from './lottie-data.js';

/**
 * A validated animation shared by every player of one file (a URL, an
 * animation of a `.lottie` archive, or data a page handed over). It keeps the
 * file's text and its metadata, not a parsed object: lottie-web mutates the
 * data it is given, so each lottie-web instance needs its own copy, and
 * parsing the text again is faster than cloning an object (and the text is
 * smaller to keep).
 */
export class AnimationEntry {
  private parsed: object | null;

  constructor(
    /** What tells it apart from every other animation of the page (its URL, `archive#id`, or a data key). */
    readonly url: string,
    /** The file's JSON text. */
    readonly text: string,
    data: object,
    readonly meta: LottieMeta,
    /** Size of the file in bytes (of the archive, for an animation of one). */
    readonly bytes: number,
    /** What its image assets' URLs are relative to (the file's URL; the page's for data handed over). */
    readonly base: string = url,
  ) {
    this.parsed = data;
  }

  /**
   * A copy of the animation data that the caller owns (and lottie-web may
   * mutate). The first call gets the object parsed when the file was loaded;
   * later calls parse the text again.
   */
  takeData(): object {
    const data = this.parsed ?? (JSON.parse(this.text) as object);
    this.parsed = null;
    return data;
  }
}

/** An animation from its JSON text: empty, not JSON and not Lottie are each their own error. */
export function parseAnimation(text: string, url: string, bytes: number, base = url, what = url): AnimationEntry {
  if (text.trim() === '') throw new LottieSyncError('empty', `${what} is empty.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new LottieSyncError('invalid-json', `${what} is not JSON (it starts with "${text.trim().slice(0, 20)}").`);
  }
  return new AnimationEntry(url, text, data as object, readLottieMeta(data), bytes, base);
}
