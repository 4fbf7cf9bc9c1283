// The sandbox realm's worker: it runs inside a sandboxed, opaque-origin frame
// whose Content-Security-Policy forbids every request, so a file's expressions
// (code lottie-web evaluates) cannot reach the page, its cookies, its storage
// or the network. Each stage talks to it over a port of its own.
import '../worker/worker-globals.js';
import fullLottie from 'lottie-web/build/player/esm/lottie_canvas.min.js';
import { NO_RENDERER, type DrawMiss } from '../render/draw-jobs.js';
import { FrameMemory, RendererSet } from '../render/frame-renderer.js';
import { DEFAULT_FRAME_MEMORY } from '../render/frame-renderer.js';
import type { FromSandbox, ToSandbox } from './sandbox-protocol.js';

interface Scope {
  onmessage: ((event: MessageEvent<{ t: 'port' }>) => void) | null;
}

const memory = new FrameMemory(DEFAULT_FRAME_MEMORY);

/** One stage's renderers and files, behind its port. */
function serve(port: MessagePort): void {
  const files = new Map<string, string>();
  const renderers = new RendererSet(memory, fullLottie);
  const post = (message: FromSandbox, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  port.onmessage = (event: MessageEvent<ToSandbox>) => {
    const message = event.data;
    switch (message.t) {
      case 'file':
        files.set(message.url, message.text);
        return;
      case 'forget':
        files.delete(message.url);
        return;
      case 'renderer': {
        const { key, gen, url, width, height } = message;
        try {
          const renderer = renderers.acquire(key, width, height, () => {
            const text = files.get(url);
            if (text === undefined) throw new Error(`the sandbox has no data for ${url}`);
            return { url, data: JSON.parse(text) as object, assets: [] };
          });
          renderer.ready.then(
            () => post({ t: 'ready', key, gen }),
            (error: Error) => post({ t: 'failed', key, gen, message: error.message }),
          );
        } catch (error) {
          post({ t: 'failed', key, gen, message: (error as Error).message });
        }
        return;
      }
      case 'release':
        renderers.release(message.key);
        return;
      case 'memory':
        memory.limitBytes = message.bytes;
        return;
      case 'tick': {
        const started = performance.now();
        let renders = 0;
        const frames: [string, number, ImageBitmap][] = [];
        const missed: DrawMiss[] = [];
        for (const [key, frame] of message.jobs) {
          const renderer = renderers.get(key);
          if (!renderer) {
            missed.push([key, frame, NO_RENDERER]);
            continue;
          }
          try {
            if (!renderer.has(frame)) renders += 1;
            const source = renderer.draw(frame);
            // A copy taken now: the renderer's own surface is drawn over by its next frame.
            const out = new OffscreenCanvas(renderer.width, renderer.height);
            out.getContext('2d')!.drawImage(source, 0, 0);
            frames.push([key, frame, out.transferToImageBitmap()]);
          } catch (error) {
            missed.push([key, frame, `lottie-web failed to draw frame ${frame}: ${(error as Error).message}`]);
          }
        }
        post(
          { t: 'drawn', seq: message.seq, ms: performance.now() - started, renders, frames, missed },
          frames.map(([, , bitmap]) => bitmap),
        );
        return;
      }
    }
  };
  post({ t: 'hello' });
}

const scope = globalThis as unknown as Scope;
scope.onmessage = (event) => {
  const [port] = event.ports;
  if (event.data?.t === 'port' && port) serve(port);
};
