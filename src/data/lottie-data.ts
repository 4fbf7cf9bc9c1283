import { LottieSyncError } from '../errors.js';

/** A named range of a Lottie file (`markers` entry). */
export interface LottieMarker {
  readonly name: string;
  /** First frame, counted from the in-point. */
  readonly start: number;
  /** Frame after the last, counted from the in-point. */
  readonly end: number;
}

/** What the library needs to know about a file, read once at parse time. */
export interface LottieMeta {
  readonly frameRate: number;
  readonly inPoint: number;
  readonly outPoint: number;
  /** `outPoint - inPoint`: whole frames in the file. */
  readonly totalFrames: number;
  readonly width: number;
  readonly height: number;
  readonly markers: readonly LottieMarker[];
  /** Folder (`u`) of the first image asset that is a file rather than embedded, or null when there is none. */
  readonly imageFolder: string | null;
  /**
   * lottie-web draws it the same in a worker: no luma mattes (they need SVG
   * filters in the document) and no text layers (fonts are measured in the
   * document). Other files are drawn on the main thread.
   */
  readonly workerSafe: boolean;
}

type Json = Record<string, unknown>;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function markerName(comment: unknown): string {
  const text = typeof comment === 'string' ? comment : '';
  // Some exporters store the comment as JSON: {"name": "..."}
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as Json;
      if (typeof parsed.name === 'string') return parsed.name;
    } catch {
      // plain text after all
    }
  }
  return text.replace(/\r?\n.*$/s, '').trim();
}

/**
 * Checks that parsed JSON is a Lottie animation and reads its metadata.
 * Throws a `not-lottie` error naming the first missing or bad field.
 */
export function readLottieMeta(data: unknown): LottieMeta {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new LottieSyncError('not-lottie', 'The file is JSON but not a Lottie animation (it is not an object).');
  }
  const json = data as Json;
  for (const field of ['fr', 'ip', 'op', 'w', 'h'] as const) {
    if (!isFiniteNumber(json[field])) {
      throw new LottieSyncError('not-lottie', `The file is JSON but not a Lottie animation: "${field}" is missing or not a number.`);
    }
  }
  if (!Array.isArray(json.layers)) {
    throw new LottieSyncError('not-lottie', 'The file is JSON but not a Lottie animation: "layers" is missing.');
  }
  const frameRate = json.fr as number;
  const inPoint = json.ip as number;
  const outPoint = json.op as number;
  if (frameRate <= 0 || outPoint <= inPoint) {
    throw new LottieSyncError('not-lottie', `The Lottie file has no frames to play (fr ${frameRate}, ip ${inPoint}, op ${outPoint}).`);
  }
  const totalFrames = Math.round(outPoint - inPoint);
  const markers: LottieMarker[] = [];
  if (Array.isArray(json.markers)) {
    for (const raw of json.markers as Json[]) {
      if (!raw || !isFiniteNumber(raw.tm)) continue;
      const start = Math.round(raw.tm - inPoint);
      const length = isFiniteNumber(raw.dr) ? Math.max(1, Math.round(raw.dr)) : 1;
      markers.push({ name: markerName(raw.cm), start, end: Math.min(totalFrames, start + length) });
    }
  }
  const assets = Array.isArray(json.assets) ? (json.assets as Json[]) : [];
  const image = assets.find((asset) => typeof asset?.p === 'string' && asset.e !== 1 && !String(asset.p).startsWith('data:'));
  return {
    frameRate,
    inPoint,
    outPoint,
    totalFrames,
    width: json.w as number,
    height: json.h as number,
    markers,
    imageFolder: image ? String(image.u ?? '') : null,
    workerSafe:
      !needsDocument(json.layers as unknown[]) &&
      !assets.some((asset) => Array.isArray(asset?.layers) && needsDocument(asset.layers as unknown[])),
  };
}

/** A layer list has a luma matte (`tt` 3 or 4) or a text layer (`ty` 5). */
function needsDocument(layers: readonly unknown[]): boolean {
  return layers.some((layer) => {
    const { tt, ty } = (layer ?? {}) as Json;
    return (typeof tt === 'number' && tt >= 3) || ty === 5;
  });
}
