/**
 * Where the render worker's script comes from.
 *
 * - The CDN build carries the worker's code inline and starts it from a blob
 *   URL, so it works from any origin (a page's Content-Security-Policy must then
 *   allow `worker-src blob:`).
 * - The npm build starts `render-worker.js` beside this module as a module
 *   worker (bundlers that follow `new Worker(new URL(...), { type: 'module' })`
 *   copy it along).
 * - A stage's `worker-url` names a same-origin copy of the classic worker
 *   script that ships as `dist/cdn/lottie-sync-worker.js`.
 */
let inlineSource: string | null = null;
let inlineUrl: string | null = null;

/** Called by the CDN build's entry with the worker's bundled code. */
export function setInlineWorkerSource(source: string): void {
  inlineSource = source;
  inlineUrl = null;
}

/** Starts a render worker (throws what the Worker constructor throws, for example under a CSP that forbids it). */
export function startRenderWorker(workerUrl: string | null): Worker {
  if (workerUrl) return new Worker(new URL(workerUrl, document.baseURI), { name: 'lottie-sync' });
  if (inlineSource !== null) {
    inlineUrl ??= URL.createObjectURL(new Blob([inlineSource], { type: 'text/javascript' }));
    return new Worker(inlineUrl, { name: 'lottie-sync' });
  }
  return new Worker(new URL('./render-worker.js', import.meta.url), { type: 'module', name: 'lottie-sync' });
}

/** Whether this browser can draw in a worker: Worker, OffscreenCanvas and transferControlToOffscreen. */
export function workersSupported(): boolean {
  return (
    typeof Worker === 'function' &&
    typeof OffscreenCanvas === 'function' &&
    typeof HTMLCanvasElement === 'function' &&
    'transferControlToOffscreen' in HTMLCanvasElement.prototype
  );
}
