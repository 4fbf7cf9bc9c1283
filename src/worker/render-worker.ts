// The stage's render worker. Imported first: lottie-web reads `document` when it loads.
import './worker-globals.js';
// The page's realm draws with lottie-web's build without expressions: a file's expressions are
// code, and never run where they could reach the page (docs/architecture.md, "Files are data").
import lightLottie from 'lottie-web/build/player/esm/lottie_light_canvas.min.js';
import { copyTo, runJobs } from '../render/draw-jobs.js';
import { RendererHost } from '../render/renderer-host.js';
import { SandboxFrames } from '../render/sandbox-frames.js';
import { StageSurface } from '../render/stage-surface.js';
import type { Surface, Surface2D } from '../render/surface.js';
import type { FromWorker, ToWorker } from './protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = globalThis as unknown as WorkerScope;
const host = new RendererHost((answer) => scope.postMessage(answer), lightLottie);
const canvases = new Map<number, { canvas: OffscreenCanvas; context: Surface2D }>();
/** The stage-wide surface (`render="surface"`): ids that are not canvases of their own are its tiles. */
let surface: StageSurface | null = null;
const copy = copyTo((id) => canvases.get(id)?.context);
/** The sandbox realm's channel to this worker, while a stage's files with expressions are shown here. */
let sandbox: SandboxFrames | null = null;

/** Canvas sizes (id, width, height triples) and clears (canvases back in the pool), sent with a tick or with frames. */
function update(sizes: readonly number[], clears: readonly number[]): void {
  for (let i = 0; i + 2 < sizes.length; i += 3) {
    const held = canvases.get(sizes[i]!);
    if (!held) continue;
    held.canvas.width = sizes[i + 1]!;
    held.canvas.height = sizes[i + 2]!;
  }
  for (const id of clears) {
    const held = canvases.get(id);
    held?.context.clearRect(0, 0, held.canvas.width, held.canvas.height);
    surface?.empty(id);
  }
  // A sandbox frame still on its way shows nothing in a canvas given back since it was asked for.
  sandbox?.forget(clears);
}

/**
 * A picture for canvases `ids`: copied into each canvas of its own (every id
 * without a surface; on one, its players it cannot show), else given to the
 * surface tile `id` by `tile`.
 */
function deliver(source: Surface | ImageBitmap, ids: readonly number[], tile: (id: number) => void): void {
  for (const id of ids) {
    if (surface && !canvases.has(id)) tile(id);
    else copy(source, ['', 0, [id]]);
  }
}

function tick(message: Extract<ToWorker, { t: 'tick' }>): void {
  const started = performance.now();
  const { sizes, clears, jobs } = message;
  update(sizes, clears);
  if (surface && message.surface) surface.apply(message.surface);
  const { renders, missed } = runJobs(jobs, host.renderers, (source, [key, frame, ids]) =>
    deliver(source, ids, (id) => surface!.draw(id, source, key, frame)),
  );
  scope.postMessage({ t: 'drawn', seq: message.seq, ms: performance.now() - started, renders, missed });
}

/** The sandbox's frames: each bitmap into its canvases, or kept by the tiles that show it. */
function show(bitmap: ImageBitmap, ids: readonly number[]): void {
  deliver(bitmap, ids, (id) => surface!.show(id, bitmap));
  if (!surface?.holds(bitmap)) bitmap.close();
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.t) {
    case 'canvas': {
      const context = message.canvas.getContext('2d');
      if (context) canvases.set(message.id, { canvas: message.canvas, context });
      return;
    }
    case 'surface':
      surface = new StageSurface(message.canvases, host.renderers);
      return;
    case 'drop': {
      const held = canvases.get(message.id);
      if (held) held.canvas.width = held.canvas.height = 0;
      canvases.delete(message.id);
      surface?.drop(message.id);
      return;
    }
    case 'tick':
      return tick(message);
    case 'sandbox':
      sandbox?.close();
      sandbox = message.port
        ? new SandboxFrames(message.port, show, (seq, lost) => scope.postMessage({ t: 'sandbox-shown', seq, lost }))
        : null;
      return;
    case 'expect':
      update(message.sizes, message.clears);
      sandbox?.expect(message.seq, message.jobs);
      return;
    default:
      return host.handle(message);
  }
};
