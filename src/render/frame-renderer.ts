import type { AnimationItem, LottiePlayer } from 'lottie-web';
import { applyAssets, type AssetSource } from '../data/asset-policy.js';
import { LottieSyncError } from '../errors.js';
import { context2d, createBuffer, createSurface, type Surface } from './surface.js';

/** What a renderer is built from: the file's URL (for messages), a copy of its data it may mutate, and its images' sources. */
export interface RenderSource {
  readonly url: string;
  readonly data: object;
  /** Each image's whole source (see asset-policy): lottie-web joins no paths. */
  readonly assets: readonly AssetSource[];
}

/**
 * Memory for keeping drawn frames, shared by the renderers of one thread. A
 * looping animation then costs lottie-web's drawing once per frame, and every
 * later pass is a copy: players that each show a different frame (separate
 * groups, staggered starts) stop costing one lottie-web render per player.
 */
export class FrameMemory {
  private used = 0;

  constructor(public limitBytes: number) {}

  take(bytes: number): boolean {
    if (this.used + bytes > this.limitBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  get usedBytes(): number {
    return this.used;
  }
}

/** Default frame memory per thread (main thread, and each worker). */
export const DEFAULT_FRAME_MEMORY = 48 * 1024 * 1024;

const PAGE_MEMORY = Symbol.for('lottie-sync.frame-memory');

/** The frame memory of this thread, shared by every stage (and every copy of the library) on it. */
export function threadFrameMemory(): FrameMemory {
  const scope = globalThis as typeof globalThis & { [PAGE_MEMORY]?: FrameMemory };
  return (scope[PAGE_MEMORY] ??= new FrameMemory(DEFAULT_FRAME_MEMORY));
}

/**
 * One lottie-web canvas renderer drawing one file at one pixel size into a
 * surface of its own. Its output is copied to every player that shows the same
 * frame, so a stage holds one lottie-web instance per (file, size), not one
 * per player. lottie-web never runs its own loop: it is created paused and
 * frames are set from outside. Drawn frames are kept while `memory` allows.
 */
export class FrameRenderer {
  readonly surface: Surface;
  /** Resolves when lottie-web is loaded and has built the file (with its images and fonts). */
  readonly ready: Promise<void>;
  private animation: AnimationItem | null = null;
  private destroyed = false;
  private drawnFrame = -1;
  private readonly kept = new Map<number, Surface>();
  private readonly frameBytes: number;

  constructor(
    source: RenderSource,
    readonly width: number,
    readonly height: number,
    private readonly memory: FrameMemory | null = null,
    /** The lottie-web build that draws it, or its module on its way (the page loads lottie-web only when it first draws). */
    player: LottiePlayer | Promise<LottiePlayer>,
  ) {
    this.surface = createSurface(width, height);
    this.frameBytes = width * height * 4;
    this.ready =
      player instanceof Promise
        ? player.then((loaded) => this.build(source, loaded))
        : // Built now, so a file lottie-web cannot build fails at once.
          this.build(source, player);
  }

  private build(source: RenderSource, player: LottiePlayer): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    let context;
    try {
      context = context2d(this.surface);
    } catch (cause) {
      throw new LottieSyncError('render-failed', (cause as Error).message);
    }
    let animation: AnimationItem;
    try {
      animation = player.loadAnimation({
        renderer: 'canvas',
        loop: false,
        autoplay: false,
        animationData: applyAssets(source.data, source.assets),
        rendererSettings: { context, clearCanvas: true, dpr: 1, preserveAspectRatio: 'xMidYMid meet' },
      } as Parameters<LottiePlayer['loadAnimation']>[0]);
    } catch (cause) {
      throw new LottieSyncError('render-failed', `lottie-web could not build ${source.url}: ${(cause as Error).message}`);
    }
    animation.setSubframe(false);
    this.animation = animation;
    return new Promise<void>((resolve, reject) => {
      // lottie-web sized itself from the canvas when it was configured; resizing
      // again would reset the canvas state that lottie-web caches (fill styles).
      if (animation.isLoaded) resolve();
      else {
        animation.addEventListener('DOMLoaded', () => resolve());
        animation.addEventListener('data_failed', () =>
          reject(new LottieSyncError('render-failed', `lottie-web could not load ${source.url}.`)),
        );
      }
    });
  }

  /**
   * The pixels of `frame` (counted from the file's in-point): a kept copy, or
   * drawn by lottie-web now (and kept if there is memory for it).
   */
  draw(frame: number): Surface {
    const kept = this.kept.get(frame);
    if (kept) return kept;
    if (!this.animation) throw new Error('lottie-web has not built it yet');
    if (frame !== this.drawnFrame) {
      this.animation.goToAndStop(frame, true);
      this.drawnFrame = frame;
    }
    if (this.memory?.take(this.frameBytes)) {
      try {
        const copy = createBuffer(this.width, this.height);
        context2d(copy).drawImage(this.surface, 0, 0);
        this.kept.set(frame, copy);
      } catch {
        // No memory for a copy: the frame is drawn again when it comes back.
        this.memory.give(this.frameBytes);
      }
    }
    return this.surface;
  }

  /** Whether `draw(frame)` is a copy (no lottie-web work). */
  has(frame: number): boolean {
    return this.kept.has(frame) || frame === this.drawnFrame;
  }

  destroy(): void {
    this.destroyed = true;
    this.animation?.destroy();
    for (const copy of this.kept.values()) {
      copy.width = 0;
      copy.height = 0;
    }
    this.memory?.give(this.kept.size * this.frameBytes);
    this.kept.clear();
    this.surface.width = 0;
    this.surface.height = 0;
  }
}

/** Renderers shared by key, counted and destroyed when unused. */
export class RendererSet {
  private readonly renderers = new Map<string, { renderer: FrameRenderer; refs: number }>();

  constructor(
    /** The lottie-web build its renderers draw with, or how to load it (on the first renderer). */
    private readonly player: LottiePlayer | (() => Promise<LottiePlayer>),
    readonly memory: FrameMemory = threadFrameMemory(),
  ) {}

  static keyOf(url: string, width: number, height: number): string {
    return `${width}x${height} ${url}`;
  }

  /** The renderer under `key`, built by `source()` if there is none yet (it may throw a render-failed error). */
  acquire(key: string, width: number, height: number, source: () => RenderSource): FrameRenderer {
    let held = this.renderers.get(key);
    if (!held) {
      const player = typeof this.player === 'function' ? this.player() : this.player;
      held = { renderer: new FrameRenderer(source(), width, height, this.memory, player), refs: 0 };
      this.renderers.set(key, held);
    }
    held.refs += 1;
    return held.renderer;
  }

  get(key: string): FrameRenderer | undefined {
    return this.renderers.get(key)?.renderer;
  }

  release(key: string): void {
    const held = this.renderers.get(key);
    if (!held) return;
    held.refs -= 1;
    if (held.refs === 0) {
      held.renderer.destroy();
      this.renderers.delete(key);
    }
  }

  /** Destroys every renderer, whoever holds it. */
  clear(): void {
    for (const { renderer } of this.renderers.values()) renderer.destroy();
    this.renderers.clear();
  }

  /** Number of lottie-web instances alive. */
  get size(): number {
    return this.renderers.size;
  }
}
