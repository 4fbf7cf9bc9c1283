/**
 * What a Lottie file holds that matters before lottie-web builds it: how big
 * the built animation would be (layers and shape items, with every precomp
 * counted once per use), how deep its precomps nest, whether it carries
 * expressions (code) or needs a document (luma mattes, text set in fonts), and its
 * image assets. One walk over the data; DOM-free.
 */

type Json = Record<string, unknown>;

export interface ImageAsset {
  /** The asset object (read only: lottie-web's own copy is rewritten, see asset-policy). */
  readonly asset: Json;
  /** Its index in `assets`. */
  readonly index: number;
  /** Embedded (`e: 1`, or a `data:` URI). */
  readonly embedded: boolean;
}

export interface LottieSurvey {
  /** Layers lottie-web would build, each precomp counted once for each layer that uses it. */
  readonly layers: number;
  /** Shape items (in shape layers and their groups), counted the same way. */
  readonly shapes: number;
  /** Deepest nesting of precomps (0: none). */
  readonly depth: number;
  /** Some property carries an expression (`x`): code that lottie-web evaluates. */
  readonly expressions: boolean;
  /**
   * A luma matte (`tt` 3 or 4), or a text layer (`ty` 5) in a file without glyph
   * outlines (`chars`), whose fonts lottie-web measures: it needs a document for them.
   */
  readonly needsDocument: boolean;
  readonly images: readonly ImageAsset[];
}

/** Counts that stop growing here: a file past them is rejected anyway, and a cycle of precomps never ends. */
const CEILING = Number.MAX_SAFE_INTEGER / 4;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function countShapes(items: unknown): number {
  if (!Array.isArray(items)) return 0;
  let count = 0;
  for (const item of items) {
    if (!isObject(item)) continue;
    count += 1 + countShapes(item.it);
  }
  return count;
}

/** Whether any object below `value` is a property with an expression (`x` a string). */
function hasExpression(value: unknown, depth = 0): boolean {
  if (depth > 256) return false;
  if (Array.isArray(value)) return value.some((item) => typeof item === 'object' && item !== null && hasExpression(item, depth + 1));
  if (!isObject(value)) return false;
  if (typeof value.x === 'string' && value.x.trim() !== '' && 'k' in value) return true;
  for (const key in value) {
    const child = value[key];
    if (typeof child === 'object' && child !== null && hasExpression(child, depth + 1)) return true;
  }
  return false;
}

/** The survey of a parsed file whose top-level fields have been checked. Throws a RangeError for a precomp that uses itself. */
export function surveyLottie(json: Json): LottieSurvey {
  const assets = Array.isArray(json.assets) ? json.assets : [];
  const comps = new Map<string, unknown[]>();
  const images: ImageAsset[] = [];
  assets.forEach((asset, index) => {
    if (!isObject(asset)) return;
    if (typeof asset.id === 'string' && Array.isArray(asset.layers)) comps.set(asset.id, asset.layers);
    else if (typeof asset.p === 'string') images.push({ asset, index, embedded: asset.e === 1 || asset.p.startsWith('data:') });
  });
  let needsDocument = false;
  // Text drawn from the file's own glyph outlines (`chars`) is shapes: lottie-web measures no font for it.
  const glyphs = Array.isArray(json.chars) && json.chars.length > 0;
  const totals = new Map<string, { layers: number; shapes: number; depth: number }>();
  const visiting = new Set<string>();
  const walk = (layers: unknown[]): { layers: number; shapes: number; depth: number } => {
    let layerCount = 0;
    let shapes = 0;
    let depth = 0;
    for (const layer of layers) {
      if (!isObject(layer)) continue;
      layerCount += 1;
      if ((layer.ty === 5 && !glyphs) || (typeof layer.tt === 'number' && layer.tt >= 3)) needsDocument = true;
      if (layer.ty === 4) shapes += countShapes(layer.shapes);
      if (layer.ty === 0 && typeof layer.refId === 'string' && comps.has(layer.refId)) {
        const inner = precomp(layer.refId);
        layerCount += inner.layers;
        shapes += inner.shapes;
        depth = Math.max(depth, inner.depth + 1);
      }
      if (layerCount > CEILING || shapes > CEILING) break;
    }
    return { layers: Math.min(layerCount, CEILING), shapes: Math.min(shapes, CEILING), depth };
  };
  const precomp = (id: string) => {
    const known = totals.get(id);
    if (known) return known;
    if (visiting.has(id)) throw new RangeError(`precomp "${id}" contains itself`);
    visiting.add(id);
    const total = walk(comps.get(id)!);
    visiting.delete(id);
    totals.set(id, total);
    return total;
  };
  const root = walk(Array.isArray(json.layers) ? json.layers : []);
  return {
    ...root,
    expressions: hasExpression(json.layers) || assets.some((asset) => isObject(asset) && hasExpression(asset.layers)),
    needsDocument,
    images,
  };
}
