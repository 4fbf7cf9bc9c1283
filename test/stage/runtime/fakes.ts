// Fakes for the runtime parts' unit tests: a host that records what a part asks
// of it, a player view that records what the stage tells it, and an animation
// cache that hands out the bar fixture (or fails) without a network.
import { AnimationEntry, type AnimationCache, type AnimationLease } from '../../../src/data/animation-cache.js';
import { readLottieMeta } from '../../../src/data/lottie-data.js';
import { LottieSyncError } from '../../../src/errors.js';
import type { PlayerConfig, PlayerView } from '../../../src/registration/protocol.js';
import type { StageHost } from '../../../src/stage/runtime/stage-host.js';
import { DEFAULT_CONFIG, StagePlayer } from '../../../src/stage/runtime/stage-player.js';
import { BAR } from '../../helpers.js';

export class FakeHost implements StageHost {
  readonly label = null;
  draws = 0;
  readyChecks = 0;
  now = 1000;
  readonly events: Event[] = [];

  requestDraw(): void {
    this.draws += 1;
  }

  emit(event: Event): void {
    this.events.push(event);
  }

  checkReady(): void {
    this.readyChecks += 1;
  }

  timelineNow(): number {
    return this.now;
  }

  /** Types of the events emitted so far. */
  get types(): string[] {
    return this.events.map((event) => event.type);
  }
}

/** What a stage told one player. */
export class FakeView implements PlayerView {
  readonly element = document.createElement('div');
  readonly frames: number[] = [];
  readonly errors: LottieSyncError[] = [];
  readonly mounted: (HTMLCanvasElement | null)[] = [];
  loadedWith: { totalFrames: number; duration: number } | null = null;

  mountCanvas(canvas: HTMLCanvasElement | null): void {
    this.mounted.push(canvas);
  }

  loaded(_meta: unknown, totalFrames: number, duration: number): void {
    this.loadedWith = { totalFrames, duration };
  }

  frameDrawn(frame: number): void {
    this.frames.push(frame);
  }

  readonly passes: [number, boolean][] = [];

  passed(passes: number, ended: boolean): void {
    this.passes.push([passes, ended]);
  }

  failed(error: LottieSyncError): void {
    this.errors.push(error);
  }
}

export function fakePlayer(config: Partial<PlayerConfig> = {}): StagePlayer & { view: FakeView } {
  const player = new StagePlayer(new FakeView()) as StagePlayer & { view: FakeView };
  player.config = { ...DEFAULT_CONFIG, ...config };
  player.configured = true;
  return player;
}

let barText: string | null = null;

/** The bar fixture as a cache entry (30 frames at 30 fps, markers intro 0-10 and outro 20-30). */
export async function barEntry(url = new URL(BAR, location.href).href): Promise<AnimationEntry> {
  barText ??= await (await fetch(BAR)).text();
  const data = JSON.parse(barText) as object;
  return new AnimationEntry(url, barText, data, readLottieMeta(data), barText.length);
}

/** A cache that resolves every URL to the bar fixture, except URLs containing "fail". */
export class FakeCache {
  readonly released: string[] = [];
  private readonly loads: Promise<unknown>[] = [];

  acquire(source: { url: string } | { data: unknown }): AnimationLease {
    const url = 'url' in source ? source.url : 'data';
    const entry = url.includes('fail') ? Promise.reject(new LottieSyncError('http-error', `${url}: 404`, 404)) : barEntry(url);
    this.loads.push(entry.catch(() => {}));
    return { url, entry, release: () => this.released.push(url) };
  }

  /** Every load so far has settled, and the callbacks on it have run. */
  async settled(): Promise<void> {
    await Promise.all(this.loads);
    await settle();
  }

  asCache(): AnimationCache {
    return this as unknown as AnimationCache;
  }
}

/** Lets promise callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
