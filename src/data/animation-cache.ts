import { LottieSyncError } from '../errors.js';
import { readLottieMeta, type LottieMeta } from './lottie-data.js';

/**
 * A validated animation shared by every player of one URL. It keeps the file's
 * text and its metadata, not a parsed object: lottie-web mutates the data it is
 * given, so each lottie-web instance needs its own copy, and parsing the text
 * again is faster than cloning an object (and the text is smaller to keep).
 */
export class AnimationEntry {
  private parsed: object | null;

  constructor(
    readonly url: string,
    /** The file's JSON text. */
    readonly text: string,
    data: object,
    readonly meta: LottieMeta,
    /** Size of the response body in bytes. */
    readonly bytes: number,
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

/** One player's claim on a URL's data; release it when the player no longer needs it. */
export interface AnimationLease {
  readonly url: string;
  readonly entry: Promise<AnimationEntry>;
  /** Drops this claim; the data is evicted when the last claim goes. Idempotent. */
  release(): void;
}

/** Default largest file accepted, in bytes. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

interface Record_ {
  readonly entry: Promise<AnimationEntry>;
  refs: number;
}

/** The body of `response`, read as it streams: past `maxBytes` the download is stopped and the file rejected. */
async function readBounded(response: Response, url: string, maxBytes: number, abort: AbortController): Promise<Uint8Array> {
  const tooLarge = (bytes: string) => new LottieSyncError('too-large', `${url} is ${bytes} bytes, more than the limit of ${maxBytes}.`);
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    abort.abort();
    throw tooLarge(String(declared));
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      abort.abort();
      void reader.cancel().catch(() => {});
      throw tooLarge(`over ${total}`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

async function load(url: string, maxBytes: number): Promise<AnimationEntry> {
  const abort = new AbortController();
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', signal: abort.signal });
  } catch (cause) {
    throw new LottieSyncError('fetch-failed', `Could not fetch ${url}: ${(cause as Error).message}`);
  }
  if (!response.ok) {
    abort.abort();
    throw new LottieSyncError('http-error', `Fetching ${url} failed with HTTP ${response.status}.`, response.status);
  }
  let buffer: Uint8Array;
  try {
    buffer = await readBounded(response, url, maxBytes, abort);
  } catch (cause) {
    if (cause instanceof LottieSyncError) throw cause;
    throw new LottieSyncError('fetch-failed', `Reading ${url} failed: ${(cause as Error).message}`);
  }
  const text = new TextDecoder().decode(buffer);
  if (text.trim() === '') {
    throw new LottieSyncError('empty', `${url} is empty.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new LottieSyncError('invalid-json', `${url} is not JSON (it starts with "${text.trim().slice(0, 20)}").`);
  }
  const meta = readLottieMeta(data);
  return new AnimationEntry(url, text, data as object, meta, buffer.byteLength);
}

/**
 * Fetches and parses each URL once, however many players use it: requests in
 * flight are shared, claims are counted, and the data is evicted when the last
 * claim is released. A failed load is forgotten at once, so a later claim retries.
 */
export class AnimationCache {
  private readonly records = new Map<string, Record_>();

  /** Claims the data at absolute `url`, fetching it unless it is cached or in flight. */
  acquire(url: string, maxBytes = DEFAULT_MAX_BYTES): AnimationLease {
    let record = this.records.get(url);
    if (!record) {
      const entry = load(url, maxBytes);
      const created: Record_ = { entry, refs: 0 };
      record = created;
      this.records.set(url, created);
      entry.catch(() => {
        if (this.records.get(url) === created) this.records.delete(url);
      });
    }
    const held = record;
    held.refs += 1;
    let released = false;
    return {
      url,
      entry: held.entry,
      release: () => {
        if (released) return;
        released = true;
        held.refs -= 1;
        if (held.refs === 0 && this.records.get(url) === held) this.records.delete(url);
      },
    };
  }

  /** Number of claims on `url` (0 when it is not cached). */
  refCount(url: string): number {
    return this.records.get(url)?.refs ?? 0;
  }

  /** Number of URLs cached or in flight. */
  get size(): number {
    return this.records.size;
  }
}

const GLOBAL_KEY = Symbol.for('lottie-sync.animation-cache.v1');

/** The page-wide cache, shared by every copy of the library on the page. */
export function pageAnimationCache(): AnimationCache {
  const holder = globalThis as unknown as Record<symbol, AnimationCache | undefined>;
  return (holder[GLOBAL_KEY] ??= new AnimationCache());
}
