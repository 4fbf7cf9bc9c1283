/**
 * The little of `window` and `document` that lottie-web's canvas renderer
 * touches, for a worker. It must run before lottie-web's module is evaluated:
 * import it first.
 *
 * - `document.createElement('canvas')` gives an OffscreenCanvas.
 * - `document.createElement('img')` gives an OffscreenCanvas that loads its
 *   `src` with fetch and createImageBitmap and fires `load` or `error`, so
 *   lottie-web's image assets draw in a worker.
 * - `document._isProxy` tells lottie-web it is not in a real document (it
 *   then skips luma mattes; files with them are drawn on the main thread).
 */
/** The worker's global scope, typed loosely: the DOM typings describe a window. */
type Scope = Record<string, unknown>;

class StandInElement {
  readonly style: Record<string, string> = {};
  readonly childNodes: StandInElement[] = [];
  offsetWidth = 0;
  offsetHeight = 0;
  appendChild<T>(child: T): T {
    return child;
  }
  append(): void {}
  insertBefore<T>(child: T): T {
    return child;
  }
  removeChild<T>(child: T): T {
    return child;
  }
  remove(): void {}
  setAttribute(): void {}
  setAttributeNS(): void {}
  addEventListener(): void {}
  removeEventListener(): void {}
  getBoundingClientRect() {
    return { x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0 };
  }
}

/** An image element stand-in: an OffscreenCanvas that takes the picture at `src`. */
function standInImage(): OffscreenCanvas {
  const surface = new OffscreenCanvas(1, 1);
  let src = '';
  const load = async (url: string) => {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bitmap = await createImageBitmap(await response.blob());
      surface.width = bitmap.width;
      surface.height = bitmap.height;
      surface.getContext('2d')?.drawImage(bitmap, 0, 0);
      bitmap.close();
      surface.dispatchEvent(new Event('load'));
    } catch {
      surface.dispatchEvent(new Event('error'));
    }
  };
  Object.defineProperty(surface, 'src', {
    get: () => src,
    set: (value: string) => {
      src = String(value);
      void load(src);
    },
  });
  return surface;
}

const scope = globalThis as unknown as Scope;
if (typeof scope.document === 'undefined') {
  scope.window = scope;
  scope.document = {
    _isProxy: true,
    readyState: 'complete',
    body: new StandInElement(),
    createElement(tag: string) {
      if (tag === 'canvas') return new OffscreenCanvas(1, 1);
      if (tag === 'img') return standInImage();
      return new StandInElement();
    },
    createElementNS() {
      return new StandInElement();
    },
    getElementsByTagName() {
      return [];
    },
    getElementsByClassName() {
      return [];
    },
  };
}

export {};
