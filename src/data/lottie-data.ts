import { LottieSyncError } from '../errors.js';
import { surveyLottie, type ImageAsset } from './lottie-survey.js';

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
  /** The file's own name (`nm`), or null. */
  readonly name: string | null;
  readonly frameRate: number;
  readonly inPoint: number;
  readonly outPoint: number;
  /** `outPoint - inPoint`: whole frames in the file. */
  readonly totalFrames: number;
  readonly width: number;
  readonly height: number;
  readonly markers: readonly LottieMarker[];
  /**
   * lottie-web draws it the same in a worker: no luma mattes (they need SVG
   * filters in the document) and no text set in fonts (they are measured in
   * the document; text drawn from the file's glyph outlines is fine). Other
   * files are drawn on the main thread.
   */
  readonly workerSafe: boolean;
  /** Layers lottie-web would build (each precomp counted once per use). */
  readonly layers: number;
  /** Shape items lottie-web would build, counted the same way. */
  readonly shapes: number;
  /** Deepest nesting of precomps. */
  readonly depth: number;
  /** Some property carries an expression: code that lottie-web would evaluate. */
  readonly expressions: boolean;
  /** The image assets. */
  readonly images: readonly ImageAsset[];
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
  let survey;
  try {
    survey = surveyLottie(json);
  } catch (error) {
    throw new LottieSyncError('too-complex', `The Lottie file cannot be built: ${(error as Error).message}.`);
  }
  return {
    name: typeof json.nm === 'string' && json.nm.trim() !== '' ? json.nm.trim().slice(0, 200) : null,
    frameRate,
    inPoint,
    outPoint,
    totalFrames,
    width: json.w as number,
    height: json.h as number,
    markers,
    workerSafe: !survey.needsDocument,
    layers: survey.layers,
    shapes: survey.shapes,
    depth: survey.depth,
    expressions: survey.expressions,
    images: survey.images,
  };
}
