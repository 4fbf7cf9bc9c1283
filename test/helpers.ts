import { expect, waitUntil as waitUntilOpenWc } from '@open-wc/testing';
import lottie from 'lottie-web/build/player/esm/lottie_canvas.min.js';
import type { LottieSyncPlayer } from '../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../src/stage/lottie-sync-stage.js';

/** lottie-web's own test animations, served from node_modules. */
export const ANIMATIONS = '/node_modules/lottie-web/test/animations';
export const BAR = '/test/fixtures/bar.json';

/** A URL nobody else in the run has fetched, so request counts start at zero. */
export function fresh(url: string): string {
  return `${url}?run=${Math.random().toString(36).slice(2)}`;
}

/** A fresh URL served through the test server's request counter (see test/server). */
export function counted(url: string): string {
  return fresh(`/counted${url}`);
}

/** How many requests the test server has seen for a `counted()` URL. */
export async function requestCount(url: string): Promise<number> {
  const path = new URL(url, location.href);
  const response = await fetch(`/__request-count?path=${encodeURIComponent(path.pathname + path.search)}`);
  return Number(await response.text());
}

/**
 * Waits for `condition`, as @open-wc's waitUntil does, with room for a loaded
 * machine: 10 s unless told (its 1 s default fails on a busy CI runner while
 * the page is merely slow). A condition that never holds still fails.
 */
export function waitUntil(
  condition: () => unknown,
  message?: string,
  options: { timeout?: number; interval?: number } = {},
): Promise<void> {
  return waitUntilOpenWc(condition, message, { timeout: 10000, ...options });
}

/**
 * Waits until `read()` deep-equals `expected` (what the page shows once its
 * draws land: a render worker answers a frame or more later), and fails with
 * the last value read when it never does.
 */
export async function settlesTo<T>(read: () => T, expected: T, message = 'settles'): Promise<void> {
  const want = JSON.stringify(expected);
  const last = await readsUntil(read, (value) => JSON.stringify(value) === want, message).catch((error: { last: T }) => error.last);
  expect(last, message).to.deep.equal(expected);
}

/**
 * Waits until `read()` passes `ok` and returns that value; on timeout fails
 * with the last value read in the message (what the page showed instead), and
 * that value as the error's `last`.
 */
export async function readsUntil<T>(read: () => T, ok: (value: T) => boolean, message: string, timeout = 10000): Promise<T> {
  let last = read();
  try {
    await waitUntil(() => ok((last = read())), message, { timeout });
    return last;
  } catch {
    throw Object.assign(new Error(`${message}: the page showed ${JSON.stringify(last)}`), { last });
  }
}

export function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

export async function frames(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await nextFrame();
}

export function canvasOf(player: LottieSyncPlayer): HTMLCanvasElement | null {
  return player.shadowRoot?.querySelector('canvas') ?? null;
}

/** A canvas handed to a render worker: the main thread can neither draw on it nor read it directly (asking for a context throws). */
export function drawnByWorker(canvas: HTMLCanvasElement): boolean {
  try {
    canvas.getContext('2d');
    return false;
  } catch {
    return true;
  }
}

/** The stage surface shown (the other one, hidden, is laid out when the page scrolls elsewhere). */
export function surfaceOf(stage: Element): HTMLCanvasElement | null {
  return stage.shadowRoot!.querySelector('canvas[part=surface]:not([hidden])');
}

/** What the stage's surface shows in `rect` (CSS pixels in the page), as a canvas of its own (nothing while none is shown). */
export function regionOf(stage: Element, rect: DOMRect): HTMLCanvasElement {
  const surface = surfaceOf(stage);
  if (!surface) return document.createElement('canvas');
  const box = surface.getBoundingClientRect();
  const scale = surface.width / box.width;
  const region = document.createElement('canvas');
  region.width = Math.round(rect.width * scale);
  region.height = Math.round(rect.height * scale);
  const sx = Math.round((rect.left - box.left) * scale);
  const sy = Math.round((rect.top - box.top) * scale);
  region.getContext('2d')!.drawImage(surface, sx, sy, region.width, region.height, 0, 0, region.width, region.height);
  return region;
}

/**
 * What the user sees of `player`, as a canvas to read: its own canvas, or
 * (a tile of the stage surface: its canvas only holds the place) the surface
 * where that canvas is; null while it shows none.
 */
export function shownOf(player: LottieSyncPlayer): HTMLCanvasElement | null {
  const canvas = canvasOf(player);
  const stage = player.closest('lottie-sync-stage');
  if (!canvas || canvas.width > 0 || !stage) return canvas;
  return regionOf(stage, canvas.getBoundingClientRect());
}

/**
 * What `canvas` shows, as a 2D context to read: a copy, since a canvas drawn by
 * a render worker has no context on the main thread (it still draws as an image).
 */
export function readable(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const context = copy.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(canvas, 0, 0);
  return context;
}

export function pixelsOf(canvas: HTMLCanvasElement): Uint8ClampedArray {
  return readable(canvas).getImageData(0, 0, canvas.width, canvas.height).data;
}

/**
 * The frame the bar fixture shows on `canvas`, read from its pixels: the red
 * bar's centre is at x = 5 + 3 * frame (in the file's 100 px coordinates).
 */
export function barFrameOn(canvas: HTMLCanvasElement): number | null {
  const { width, height } = canvas;
  const row = readable(canvas).getImageData(0, Math.floor(height / 2), width, 1).data;
  let sum = 0;
  let count = 0;
  for (let x = 0; x < width; x += 1) {
    if (row[x * 4]! > 128 && row[x * 4 + 3]! > 128) {
      sum += x + 0.5;
      count += 1;
    }
  }
  if (count === 0) return null;
  const centre = ((sum / count) * 100) / width;
  return Math.round((centre - 5) / 3);
}

/** Share of pixels whose channels differ by more than `tolerance` between two images. */
export function differingShare(a: Uint8ClampedArray, b: Uint8ClampedArray, tolerance = 8): number {
  if (a.length !== b.length) return 1;
  let differing = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (
      Math.abs(a[i]! - b[i]!) > tolerance ||
      Math.abs(a[i + 1]! - b[i + 1]!) > tolerance ||
      Math.abs(a[i + 2]! - b[i + 2]!) > tolerance ||
      Math.abs(a[i + 3]! - b[i + 3]!) > tolerance
    ) {
      differing += 1;
    }
  }
  return differing / (a.length / 4);
}

/** What plain lottie-web's canvas renderer draws for `url` at `frame`, in a box of the given CSS size. */
export async function referenceRender(url: string, frame: number, width: number, height: number): Promise<Uint8ClampedArray> {
  const container = document.createElement('div');
  container.style.cssText = `width:${width}px;height:${height}px;position:fixed;left:-${width * 2}px;top:0`;
  document.body.append(container);
  const animation = lottie.loadAnimation({ container, renderer: 'canvas', path: url, autoplay: false, loop: false });
  await new Promise<void>((resolve) => animation.addEventListener('DOMLoaded', () => resolve()));
  animation.setSubframe(false);
  animation.goToAndStop(frame, true);
  const canvas = container.querySelector('canvas')!;
  const data = pixelsOf(canvas);
  animation.destroy();
  container.remove();
  return data;
}

export function readyOf(stage: LottieSyncStage): Promise<Event> {
  return new Promise((resolve) => stage.addEventListener('lottie-sync-ready', resolve, { once: true }));
}

export function playersOf(stage: Element): LottieSyncPlayer[] {
  return [...stage.querySelectorAll('lottie-sync-player')];
}

/** Calls `sample` on every animation frame for `ms` milliseconds (after the stage's own tick). */
export async function sampleFrames(ms: number, sample: (now: number) => void): Promise<number> {
  const start = performance.now();
  let ticks = 0;
  for (;;) {
    const now = await nextFrame();
    // Let the stage's callback for this frame run first: rAF callbacks of one frame share `now`.
    await Promise.resolve();
    sample(now);
    ticks += 1;
    if (now - start >= ms) return ticks;
  }
}

/** Runs `body` with console.warn captured into `warnings` (and restored after). */
export async function withWarnings<T>(body: (warnings: string[]) => Promise<T> | T): Promise<T> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    return await body(warnings);
  } finally {
    console.warn = original;
  }
}

/**
 * WebKitGTK (2.50's MiniBrowser here) crashes its page process, a trap in one of
 * its worker threads, when the sandbox realm's worker is torn down after two or
 * more stages have drawn in it: at unload, which interrupts the next test file.
 * Removing the sandbox frame after surface.test.ts's two sandbox tests crashed it
 * 6 times in 6, after either test alone 0 in 6. Files and tests that put several
 * stages on the sandbox in one page are skipped there (docs/architecture.md).
 */
export const sandboxUnloadCrashes = /AppleWebKit/.test(navigator.userAgent) && !/Chrome|Chromium|Firefox/.test(navigator.userAgent);

/** The bar fixture with `code` as an expression on its position (by default one that keeps the keyframed value: the bar's own frames, drawn in the sandbox), as a blob URL. */
export async function barWithExpression(code = 'var $bm_rt = value;'): Promise<string> {
  const data = (await (await fetch(BAR)).json()) as { layers: Record<string, unknown>[] };
  ((data.layers[0]!.ks as Record<string, Record<string, unknown>>).p as Record<string, unknown>).x = code;
  return URL.createObjectURL(new Blob([JSON.stringify(data)], { type: 'application/json' }));
}
