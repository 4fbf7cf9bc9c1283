/** A 2D drawing surface: a canvas element on the main thread, an OffscreenCanvas in a worker. */
export type Surface = HTMLCanvasElement | OffscreenCanvas;
export type Surface2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** A surface of `width` x `height` pixels: a canvas element where there is a DOM, else an OffscreenCanvas. */
export function createSurface(width: number, height: number): Surface {
  if (typeof HTMLCanvasElement === 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** A surface that is never shown (frame copies): an OffscreenCanvas where the browser has it. */
export function createBuffer(width: number, height: number): Surface {
  return typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : createSurface(width, height);
}

export function context2d(surface: Surface): Surface2D {
  const context = surface.getContext('2d') as Surface2D | null;
  if (!context) throw new Error('The browser gave no 2D canvas context.');
  return context;
}
