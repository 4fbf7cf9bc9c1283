// The sandbox realm's worker: it runs inside a sandboxed, opaque-origin frame
// whose Content-Security-Policy forbids every request, so a file's expressions
// (code lottie-web evaluates) cannot reach the page, its cookies, its storage
// or the network. Each stage talks to it over a port of its own.
import '../worker/worker-globals.js';
import fullLottie from 'lottie-web/build/player/esm/lottie_canvas.min.js';
import { NO_RENDERER, runJobs } from '../render/draw-jobs.js';
import { DEFAULT_FRAME_MEMORY, FrameMemory } from '../render/frame-renderer.js';
import { RendererHost } from '../render/renderer-host.js';
import type { FromSandbox, ToSandbox } from './sandbox-protocol.js';

interface Scope {
  onmessage: ((event: MessageEvent<{ t: 'port' }>) => void) | null;
}

const memory = new FrameMemory(DEFAULT_FRAME_MEMORY);

/** One stage's renderers and files, behind its port. */
function serve(port: MessagePort): void {
  const post = (message: FromSandbox, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  const host = new RendererHost(post, fullLottie, memory);
  /** Where the frames go: the stage's render worker, once the page has linked it. */
  let present: MessagePort | null = null;
  port.onmessage = (event: MessageEvent<ToSandbox>) => {
    const message = event.data;
    if (message.t === 'present') {
      present = message.port;
      return;
    }
    if (message.t === 'close') {
      // Nothing of a stage that left is kept: its renderers, and its ports (WebKit's page process crashed
      // at unload when a left stage's channel to its terminated render worker was still open here).
      host.dispose();
      present?.close();
      present = null;
      port.onmessage = null;
      port.close();
      return;
    }
    if (message.t !== 'tick') return host.handle(message);
    const started = performance.now();
    const frames: [string, number, ImageBitmap][] = [];
    const { renders, missed } = runJobs(message.jobs, host.renderers, (source, [key, frame], renderer) => {
      // A copy taken now: the renderer's own surface is drawn over by its next frame.
      const out = new OffscreenCanvas(renderer.width, renderer.height);
      out.getContext('2d')!.drawImage(source, 0, 0);
      frames.push([key, frame, out.transferToImageBitmap()]);
    });
    const bitmaps = frames.map(([, , bitmap]) => bitmap);
    const drawn = { t: 'drawn', seq: message.seq, ms: performance.now() - started, renders, missed } as const;
    if (!present) return post({ ...drawn, frames }, bitmaps);
    try {
      present.postMessage({ t: 'frames', seq: message.seq, frames }, bitmaps);
    } catch {
      // The frames could not be sent: the page is answered all the same, and draws them again.
      for (const bitmap of bitmaps) bitmap.close();
      for (const [key, frame] of frames) missed.push([key, frame, NO_RENDERER]);
    }
    post({ ...drawn, frames: [] });
  };
  post({ t: 'hello' });
}

const scope = globalThis as unknown as Scope;
scope.onmessage = (event) => {
  const [port] = event.ports;
  if (event.data?.t === 'port' && port) serve(port);
};
