/**
 * Where the render worker's script comes from.
 *
 * - The CDN build names its classic worker script beside it
 *   (`dist/cdn/lottie-sync-worker.js`). A worker cannot be started from
 *   another origin's URL, so from a CDN a one-line `blob:` worker imports it
 *   (`importScripts` may load a script of any origin; a page's
 *   Content-Security-Policy must then allow `worker-src blob:`).
 * - The npm build starts `render-worker.js` beside this module as a module
 *   worker (bundlers that follow `new Worker(new URL(...), { type: 'module' })`
 *   copy it along).
 * - A stage's `worker-url` names a same-origin copy of the classic worker
 *   script, for pages whose policy forbids blob workers.
 */
let classicScript: string | null = null;
let bootstrap: { script: string; url: string } | null = null;

/** Called by the CDN build's entry with the URL of its classic worker script. */
export function setWorkerScript(url: string): void {
  classicScript = url;
}

function sameOrigin(url: string): boolean {
  return new URL(url, document.baseURI).origin === location.origin;
}

/** Starts a render worker (throws what the Worker constructor throws, for example under a CSP that forbids it). */
export function startRenderWorker(workerUrl: string | null): Worker {
  if (workerUrl) return new Worker(new URL(workerUrl, document.baseURI), { name: 'lottie-sync' });
  if (classicScript !== null) {
    if (sameOrigin(classicScript)) return new Worker(classicScript, { name: 'lottie-sync' });
    if (bootstrap?.script !== classicScript) {
      const source = `importScripts(${JSON.stringify(classicScript)});`;
      bootstrap = { script: classicScript, url: URL.createObjectURL(new Blob([source], { type: 'text/javascript' })) };
    }
    return new Worker(bootstrap.url, { name: 'lottie-sync' });
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
