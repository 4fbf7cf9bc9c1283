/**
 * Where a file's images may come from. A Lottie file is data that anyone may
 * have written: an image asset with an absolute URL on another origin is a
 * beacon that tells that origin who looks at the page. By default images load
 * only from the file's own origin or from `data:` URIs; a stage may allow more
 * origins (`asset-origins`). Each image's URL is resolved here once, the way a
 * browser resolves a link (the folder `u` and the name `p` joined, relative to
 * the file), and handed to lottie-web whole, so lottie-web's own joining (which
 * mangles an absolute `p` behind an empty `u`) never runs. DOM-free.
 */
import type { ImageAsset } from './lottie-survey.js';

/** An image's source as lottie-web is given it: its index in `assets` and the URL (or data URI) it loads. */
export type AssetSource = readonly [index: number, src: string];

export interface AssetPlan {
  readonly sources: readonly AssetSource[];
  /** The images that may not load (shown as nothing), by the URL they name. */
  readonly blocked: readonly string[];
}

/** What an image that may not load is replaced with: a transparent pixel. */
export const BLANK_IMAGE = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

/** `asset-origins`: origins (`https://cdn.example`) whose images files may load, or `*` for any. */
export type AssetOrigins = ReadonlySet<string>;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Resolves every image of a file at `fileUrl`, and blocks those from origins that are not allowed. */
export function planAssets(images: readonly ImageAsset[], fileUrl: string, allowed: AssetOrigins): AssetPlan {
  const sources: AssetSource[] = [];
  const blocked: string[] = [];
  const own = originOf(fileUrl);
  for (const { asset, index, embedded } of images) {
    const name = String(asset.p);
    if (embedded) {
      sources.push([index, name]);
      continue;
    }
    let resolved: string | null;
    try {
      // An absolute name stands on its own, whatever the folder says.
      resolved = /^[a-z][a-z0-9+.-]*:/i.test(name)
        ? new URL(name).href
        : new URL(`${typeof asset.u === 'string' ? asset.u : ''}${name}`, fileUrl).href;
    } catch {
      resolved = null;
    }
    const origin = resolved === null ? null : originOf(resolved);
    const ok =
      resolved !== null &&
      (resolved.startsWith('data:') ||
        (origin !== null && origin !== 'null' && (origin === own || allowed.has(origin) || allowed.has('*'))));
    if (ok) sources.push([index, resolved!]);
    else {
      blocked.push(resolved ?? name);
      sources.push([index, BLANK_IMAGE]);
    }
  }
  return { sources, blocked };
}

/** Gives lottie-web's copy of the data each image's whole source (an embedded asset: lottie-web then joins nothing). */
export function applyAssets(data: object, sources: readonly AssetSource[]): object {
  const assets = (data as { assets?: unknown }).assets;
  if (!Array.isArray(assets)) return data;
  for (const [index, src] of sources) {
    const asset = assets[index] as Record<string, unknown> | undefined;
    if (!asset || typeof asset !== 'object') continue;
    asset.u = '';
    asset.p = src;
    asset.e = 1;
  }
  return data;
}
