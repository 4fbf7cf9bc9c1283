import { LottieSyncError } from '../errors.js';
import { parseAnimation, type AnimationEntry } from './animation-entry.js';
import type { DotLottieArchive } from './dotlottie.js';
import { fetchFile } from './fetch-file.js';

export { AnimationEntry } from './animation-entry.js';

/** One player's claim on an animation; release it when the player no longer needs it. */
export interface AnimationLease {
  /** The animation's key (its URL, `archive#id`, or a data key). */
  readonly url: string;
  readonly entry: Promise<AnimationEntry>;
  /** Drops this claim; the data is evicted when the last claim goes. Idempotent. */
  release(): void;
}

/** What a player plays: a file at a URL (and for a `.lottie` file, which animation), or data the page holds. */
export type AnimationSource = { readonly url: string; readonly animation?: string | null } | { readonly data: object | string };

/** Default largest file accepted, in bytes. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** A fetched file: one animation (JSON), or an archive of them. */
type LoadedFile =
  { readonly kind: 'json'; readonly entry: AnimationEntry } | { readonly kind: 'archive'; readonly archive: DotLottieArchive };

interface Held<T> {
  readonly value: Promise<T>;
  refs: number;
}

/** Whether `bytes` is a zip archive (its local file header): a `.lottie` file, whatever its name. */
function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

async function loadFile(url: string, maxBytes: number): Promise<LoadedFile> {
  const bytes = await fetchFile(url, maxBytes);
  if (isZip(bytes)) {
    // The zip reader loads with the first .lottie file: pages of JSON files never load it.
    const { DotLottieArchive } = await import('./dotlottie.js');
    return { kind: 'archive', archive: DotLottieArchive.read(bytes, url, maxBytes) };
  }
  return { kind: 'json', entry: parseAnimation(new TextDecoder().decode(bytes), url, bytes.byteLength) };
}

function pageBase(): string {
  return globalThis.document?.baseURI ?? globalThis.location?.href ?? 'about:blank';
}

/**
 * Fetches and parses each file once, however many players use it: requests in
 * flight are shared, claims are counted, and the data is evicted when the last
 * claim is released. A `.lottie` archive is fetched once for all of its
 * animations. Data handed over by the page is parsed once per object or text.
 * A failed load is forgotten at once, so a later claim retries.
 */
export class AnimationCache {
  private readonly files = new Map<string, Held<LoadedFile>>();
  private readonly entries = new Map<string, Held<AnimationEntry>>();
  /** Keys of data handed over: objects by identity, texts by value. */
  private readonly objectKeys = new WeakMap<object, string>();
  private readonly textKeys = new Map<string, string>();
  private nextData = 1;

  /** Claims an animation, fetching its file unless it is cached or in flight. (A string is a URL.) */
  acquire(source: AnimationSource | string, maxBytes = DEFAULT_MAX_BYTES): AnimationLease {
    const what = typeof source === 'string' ? { url: source } : source;
    if ('data' in what) return this.claimData(what.data, maxBytes);
    const { url } = what;
    const animation = what.animation ?? null;
    const key = animation === null ? url : `${url}#${encodeURIComponent(animation)}`;
    const file = this.hold(this.files, url, () => loadFile(url, maxBytes));
    const entry = this.hold(this.entries, key, () =>
      file.value.then((loaded) => {
        if (loaded.kind === 'archive') return loaded.archive.entry(animation);
        return loaded.entry;
      }),
    );
    return this.lease(key, entry, () => this.drop(this.files, url, file));
  }

  /** Number of claims on an animation's key (0 when it is not cached). */
  refCount(key: string): number {
    return this.entries.get(key)?.refs ?? 0;
  }

  /** Number of animations cached or in flight. */
  get size(): number {
    return this.entries.size;
  }

  private claimData(data: object | string, maxBytes: number): AnimationLease {
    const known = typeof data === 'string' ? this.textKeys.get(data) : this.objectKeys.get(data);
    const key = known ?? `lottie-sync:data/${this.nextData++}`;
    if (!known) {
      if (typeof data === 'string') this.textKeys.set(data, key);
      else this.objectKeys.set(data, key);
    }
    const entry = this.hold(this.entries, key, async () => {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      if (text === undefined) throw new LottieSyncError('not-lottie', 'The data given is not a Lottie animation.');
      if (text.length > maxBytes)
        throw new LottieSyncError('too-large', `The data given is ${text.length} characters, more than the limit of ${maxBytes}.`);
      return parseAnimation(text, key, text.length, pageBase(), 'The data given');
    });
    return this.lease(key, entry, () => {
      if (typeof data === 'string' && !this.entries.has(key)) this.textKeys.delete(data);
    });
  }

  /** The held value under `key`, made by `make` unless it is there; a failure forgets it. */
  private hold<T>(map: Map<string, Held<T>>, key: string, make: () => Promise<T>): Held<T> {
    let held = map.get(key);
    if (!held) {
      const created: Held<T> = { value: make(), refs: 0 };
      held = created;
      map.set(key, created);
      created.value.catch(() => {
        if (map.get(key) === created) map.delete(key);
      });
    }
    held.refs += 1;
    return held;
  }

  private drop<T>(map: Map<string, Held<T>>, key: string, held: Held<T>): void {
    held.refs -= 1;
    if (held.refs === 0 && map.get(key) === held) map.delete(key);
  }

  private lease(key: string, entry: Held<AnimationEntry>, also: () => void): AnimationLease {
    let released = false;
    return {
      url: key,
      entry: entry.value,
      release: () => {
        if (released) return;
        released = true;
        this.drop(this.entries, key, entry);
        also();
      },
    };
  }
}

const GLOBAL_KEY = Symbol.for('lottie-sync.animation-cache.v1');

/** The page-wide cache, shared by every copy of the library on the page. */
export function pageAnimationCache(): AnimationCache {
  const holder = globalThis as unknown as Record<symbol, AnimationCache | undefined>;
  return (holder[GLOBAL_KEY] ??= new AnimationCache());
}
