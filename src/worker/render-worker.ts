// The stage's render worker. Imported first: lottie-web reads `document` when it loads.
import './worker-globals.js';
import { runJobs } from '../render/draw-jobs.js';
import { RendererSet } from '../render/frame-renderer.js';
import type { Surface2D } from '../render/surface.js';
import type { FromWorker, ToWorker } from './protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = globalThis as unknown as WorkerScope;
const files = new Map<string, string>();
const renderers = new RendererSet();
const canvases = new Map<number, { canvas: OffscreenCanvas; context: Surface2D }>();

function post(message: FromWorker): void {
  scope.postMessage(message);
}

function addRenderer({ key, gen, url, width, height, assets }: Extract<ToWorker, { t: 'renderer' }>): void {
  try {
    const renderer = renderers.acquire(key, width, height, () => {
      const text = files.get(url);
      if (text === undefined) throw new Error(`the worker has no data for ${url}`);
      return { url, data: JSON.parse(text) as object, assets };
    });
    renderer.ready.then(
      () => post({ t: 'ready', key, gen }),
      (error: Error) => post({ t: 'failed', key, gen, message: error.message }),
    );
  } catch (error) {
    post({ t: 'failed', key, gen, message: (error as Error).message });
  }
}

function tick(message: Extract<ToWorker, { t: 'tick' }>): void {
  const started = performance.now();
  const { sizes, clears, jobs } = message;
  for (let i = 0; i + 2 < sizes.length; i += 3) {
    const held = canvases.get(sizes[i]!);
    if (!held) continue;
    held.canvas.width = sizes[i + 1]!;
    held.canvas.height = sizes[i + 2]!;
  }
  for (const id of clears) {
    const held = canvases.get(id);
    held?.context.clearRect(0, 0, held.canvas.width, held.canvas.height);
  }
  const { renders, missed } = runJobs(jobs, renderers, (id) => canvases.get(id)?.context);
  post({ t: 'drawn', seq: message.seq, ms: performance.now() - started, renders, missed });
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.t) {
    case 'file':
      files.set(message.url, message.text);
      break;
    case 'forget':
      files.delete(message.url);
      break;
    case 'renderer':
      addRenderer(message);
      break;
    case 'release':
      renderers.release(message.key);
      break;
    case 'canvas': {
      const context = message.canvas.getContext('2d');
      if (context) canvases.set(message.id, { canvas: message.canvas, context });
      break;
    }
    case 'drop': {
      const held = canvases.get(message.id);
      if (held) held.canvas.width = held.canvas.height = 0;
      canvases.delete(message.id);
      break;
    }
    case 'memory':
      renderers.memory.limitBytes = message.bytes;
      break;
    case 'tick':
      tick(message);
      break;
  }
};
