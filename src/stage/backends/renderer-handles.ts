import type { LottieSyncError } from '../../errors.js';

interface Handle {
  readonly url: string;
  /** The other side has said whether it is built. */
  settled: boolean;
  /** Told apart from an earlier renderer of the same key whose answer may still be on its way. */
  readonly gen: number;
  refs: number;
  readonly ready: Promise<void>;
  resolve(): void;
  reject(error: LottieSyncError): void;
}

/**
 * Renderers held in another thread or realm (a render worker, the sandbox),
 * seen from the page: by key, counted, with a generation each, and a promise
 * that settles when the other side says the renderer is built (or could not
 * be). Also the files they draw, counted, so a file's text crosses once.
 */
export class RendererHandles {
  private readonly handles = new Map<string, Handle>();
  private readonly files = new Map<string, number>();
  private generation = 0;

  /** Holds the renderer `key` of `url`; `created` when it must be built (and, with `firstOfFile`, its file sent). */
  acquire(key: string, url: string): { ready: Promise<void>; gen: number; created: boolean; firstOfFile: boolean } {
    let handle = this.handles.get(key);
    let created = false;
    let firstOfFile = false;
    if (!handle) {
      created = true;
      const refs = this.files.get(url) ?? 0;
      firstOfFile = refs === 0;
      this.files.set(url, refs + 1);
      let resolve!: () => void;
      let reject!: (error: LottieSyncError) => void;
      const ready = new Promise<void>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      ready.catch(() => {});
      handle = { url, gen: (this.generation += 1), settled: false, refs: 0, ready, resolve, reject };
      this.handles.set(key, handle);
    }
    handle.refs += 1;
    return { ready: handle.ready, gen: handle.gen, created, firstOfFile };
  }

  /** Lets go of one reference; returns what must be dropped on the other side (the renderer, and its file if it was the last), or null. */
  release(key: string): { url: string; lastOfFile: boolean } | null {
    const handle = this.handles.get(key);
    if (!handle || --handle.refs > 0) return null;
    this.handles.delete(key);
    const refs = (this.files.get(handle.url) ?? 1) - 1;
    if (refs > 0) this.files.set(handle.url, refs);
    else this.files.delete(handle.url);
    return { url: handle.url, lastOfFile: refs === 0 };
  }

  /** The other side answered for `key` of generation `gen`: built (null) or failed. Answers for an older generation are ignored. */
  settle(key: string, gen: number, error: LottieSyncError | null): string | null {
    const handle = this.handles.get(key);
    if (!handle || handle.gen !== gen) return null;
    handle.settled = true;
    if (error) handle.reject(error);
    else handle.resolve();
    return handle.url;
  }

  /** The generation held under `key` now (0: none). */
  genOf(key: string): number {
    return this.handles.get(key)?.gen ?? 0;
  }

  /** Files with a renderer the other side has not yet said is built. */
  get building(): string[] {
    return [...new Set([...this.handles.values()].filter((handle) => !handle.settled).map((handle) => handle.url))];
  }

  hasFile(url: string): boolean {
    return this.files.has(url);
  }

  get size(): number {
    return this.handles.size;
  }

  /** The other side is gone: every renderer fails. */
  rejectAll(error: LottieSyncError): void {
    for (const handle of this.handles.values()) handle.reject(error);
    this.handles.clear();
    this.files.clear();
  }
}
