/**
 * `.lottie` files (dotLottie): a zip archive of a `manifest.json`, one or more
 * animations (`animations/<id>.json`, or `a/<id>.json` in version 2) and the
 * images they use (`images/`, `i/`). Read with fflate, in the thread that
 * parses the data. An archive's animations are drawn like any JSON file: each
 * becomes an entry of its own, with its images inlined as `data:` URIs, so
 * they draw without a request. DOM-free.
 */
import { unzipSync, type Unzipped } from 'fflate';
import { LottieSyncError } from '../errors.js';
import { parseAnimation, type AnimationEntry } from './animation-entry.js';

type Json = Record<string, unknown>;

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  avif: 'image/avif',
};

function dataUri(bytes: Uint8Array, name: string): string {
  const type = IMAGE_TYPES[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${type};base64,${btoa(binary)}`;
}

/** The animations of one `.lottie` file. */
export class DotLottieArchive {
  /** The animations' ids, as the manifest lists them. */
  readonly ids: readonly string[];
  /** The one played when none is named: the manifest's initial (or active) animation, else the first. */
  readonly initial: string;
  private readonly entries = new Map<string, AnimationEntry>();

  private constructor(
    private readonly url: string,
    private readonly files: Unzipped,
    private readonly bytes: number,
    manifest: Json,
  ) {
    const animations = Array.isArray(manifest.animations) ? manifest.animations : [];
    this.ids = animations.flatMap((item) => (item && typeof (item as Json).id === 'string' ? [(item as Json).id as string] : []));
    if (this.ids.length === 0) throw new LottieSyncError('bad-manifest', `${url}: its manifest lists no animation.`);
    const initial = (manifest.initial as Json | undefined)?.animation ?? manifest.activeAnimationId;
    this.initial = typeof initial === 'string' && this.ids.includes(initial) ? initial : this.ids[0]!;
  }

  /** Reads an archive; every file is bounded by `maxBytes` uncompressed (so is their total). */
  static read(bytes: Uint8Array, url: string, maxBytes: number): DotLottieArchive {
    let total = 0;
    let files: Unzipped;
    try {
      files = unzipSync(bytes, {
        // A zip states each file's size before it is inflated: a bomb is refused unread.
        filter: (file) => {
          total += file.originalSize;
          if (file.originalSize > maxBytes || total > maxBytes) {
            throw new LottieSyncError('too-large', `${url} unpacks to more than the limit of ${maxBytes} bytes.`);
          }
          return true;
        },
      });
    } catch (cause) {
      if (cause instanceof LottieSyncError) throw cause;
      throw new LottieSyncError('bad-archive', `${url} is not a readable .lottie archive: ${(cause as Error).message}.`);
    }
    const manifest = files['manifest.json'];
    if (!manifest) throw new LottieSyncError('bad-archive', `${url} is a zip archive without a manifest.json: not a .lottie file.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(manifest));
    } catch {
      throw new LottieSyncError('bad-manifest', `${url}: its manifest.json is not JSON.`);
    }
    if (!parsed || typeof parsed !== 'object') throw new LottieSyncError('bad-manifest', `${url}: its manifest.json is not an object.`);
    return new DotLottieArchive(url, files, bytes.byteLength, parsed as Json);
  }

  /** The animation `id` (null: the initial one), parsed once. */
  entry(id: string | null): AnimationEntry {
    const wanted = id ?? this.initial;
    const known = this.entries.get(wanted);
    if (known) return known;
    if (!this.ids.includes(wanted)) {
      throw new LottieSyncError(
        'unknown-animation',
        `${this.url} has no animation "${wanted}" (it has ${this.ids.map((i) => `"${i}"`).join(', ')}).`,
      );
    }
    const file = this.files[`animations/${wanted}.json`] ?? this.files[`a/${wanted}.json`];
    if (!file)
      throw new LottieSyncError('bad-manifest', `${this.url}: its manifest names the animation "${wanted}", which is not in the archive.`);
    const key = `${this.url}#${encodeURIComponent(wanted)}`;
    const text = this.inlineImages(new TextDecoder().decode(file));
    const entry = parseAnimation(text, key, this.bytes, this.url, `${this.url} (animation "${wanted}")`);
    this.entries.set(wanted, entry);
    return entry;
  }

  /** The animation's text with every image it uses from the archive inlined (the archive's images need no request). */
  private inlineImages(text: string): string {
    let data: Json;
    try {
      data = JSON.parse(text) as Json;
    } catch {
      return text; // parseAnimation names the error
    }
    if (!Array.isArray(data.assets)) return text;
    let changed = false;
    for (const asset of data.assets as Json[]) {
      if (!asset || typeof asset.p !== 'string' || asset.e === 1 || asset.p.startsWith('data:')) continue;
      const name = asset.p.split('/').pop()!;
      const bytes = this.files[`images/${name}`] ?? this.files[`i/${name}`];
      if (!bytes) continue;
      asset.u = '';
      asset.p = dataUri(bytes, name);
      asset.e = 1;
      changed = true;
    }
    return changed ? JSON.stringify(data) : text;
  }
}
