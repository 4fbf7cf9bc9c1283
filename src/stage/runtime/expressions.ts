import { LottieSyncError } from '../../errors.js';
import { LottieSyncErrorEvent } from '../../events.js';
import { RendererSet } from '../../render/frame-renderer.js';
import type { DrawBackend } from '../backends/draw-backend.js';
import { MainThreadBackend } from '../backends/main-thread-backend.js';
import type { SandboxBackend } from '../backends/sandbox-backend.js';
import type { WorkerShard } from '../backends/worker-shard.js';
import type { StageHost } from './stage-host.js';
import type { StagePlayer } from './stage-player.js';

/**
 * Where a file's expressions (code lottie-web evaluates) may run:
 * - `sandbox` (the default): in the sandbox realm, a sandboxed opaque-origin
 *   frame's worker that can reach neither the page nor the network; files it
 *   cannot draw (text set in fonts or luma mattes, a page whose CSP forbids the
 *   sandbox) are drawn without their expressions;
 * - `off`: nowhere: files are drawn without their expressions;
 * - `page`: on the page's main thread, with the page's authority, for pages
 *   that trust every file they show.
 */
export type ExpressionMode = 'sandbox' | 'off' | 'page';

/** A sandbox that has not answered a tick for this long is taken for dead. */
const SANDBOX_TIMEOUT_MS = 4000;

type SandboxCode = typeof import('../backends/sandbox-backend.js');
/** The page's link to the sandbox, loaded with the first file that has expressions (a page without any never loads it). */
let sandboxCode: Promise<SandboxCode> | null = null;
let loadedSandboxCode: SandboxCode | null = null;

/** What the expression realms ask of the rest of the stage. */
export interface ExpressionEvents {
  /** Give the player's canvas back and have it placed again. */
  replace(player: StagePlayer): void;
  /** The player's backend ended with its canvas. */
  evict(player: StagePlayer): void;
  /** Give the player's canvas back to its pool (it is placed afresh when it next needs one). */
  returnCanvas(player: StagePlayer): void;
  /** The render worker that shows the sandbox's frames (started if need be), or null: the page's canvases show them. */
  presenter(): WorkerShard | null;
}

/**
 * The stage's places for files with expressions: its link to the sandbox
 * realm, and (with `expressions="page"`) a main-thread backend with
 * lottie-web's full build, loaded when first needed. Files that are drawn
 * without their expressions are named to the page once per player.
 */
export class ExpressionRealms {
  mode: ExpressionMode = 'sandbox';
  private sandbox: SandboxBackend | null = null;
  private readonly onSandbox = new Set<StagePlayer>();
  /** Players placed while the sandbox's code loads: placed again once it is here. */
  private readonly awaitingCode = new Set<StagePlayer>();
  /** The sandbox failed for this stage: its files are drawn without expressions from then on. */
  private sandboxBroken = false;
  /** Files the sandbox could not build. */
  private readonly refused = new Set<string>();
  private trusted: MainThreadBackend | null = null;
  /** The file each player was last told about (so it is told once). */
  private readonly told = new WeakMap<StagePlayer, string>();

  constructor(
    private readonly host: StageHost,
    private readonly frameMemoryBytes: () => number,
    private readonly events: ExpressionEvents,
  ) {}

  /** The live backends for expressions (the sandbox, the trusted main thread). */
  get backends(): DrawBackend[] {
    const list: DrawBackend[] = [];
    if (this.sandbox) list.push(this.sandbox);
    if (this.trusted) list.push(this.trusted);
    return list;
  }

  /** Players drawn in the sandbox now. */
  get sandboxed(): number {
    return this.onSandbox.size;
  }

  get sandboxPlayers(): ReadonlySet<StagePlayer> {
    return this.onSandbox;
  }

  /**
   * Where a player whose file has expressions is drawn: the sandbox, the
   * trusted main thread, or undefined when it is drawn in the page's realm
   * without its expressions (the page is told); null: not yet (the sandbox's
   * code is loading; the player is placed again when it is here).
   */
  place(player: StagePlayer): DrawBackend | null | undefined {
    const entry = player.load.entry;
    if (!entry?.meta.expressions) return undefined;
    this.leave(player);
    if (this.mode === 'page') return this.trustedBackend();
    if (this.mode === 'sandbox' && entry.meta.workerSafe && !this.sandboxBroken && !this.refused.has(entry.url)) {
      if (!this.sandbox) {
        if (!loadedSandboxCode) return this.awaitCode(player);
        this.sandbox = new loadedSandboxCode.SandboxBackend(
          this.frameMemoryBytes(),
          (failed, message) => this.sandboxFailed(failed, message),
          this.events.presenter(),
          (ids) => this.lost(ids),
        );
      }
      this.onSandbox.add(player);
      return this.sandbox;
    }
    const why =
      this.mode === 'off'
        ? 'expressions="off"'
        : !entry.meta.workerSafe
          ? 'its text set in fonts or luma mattes need a document, which the sandbox does not have'
          : 'the sandbox is not available (see the earlier error)';
    this.tell(player, entry.url, `${entry.url} has expressions; it is drawn without them (${why}).`);
    return undefined;
  }

  leave(player: StagePlayer): void {
    this.onSandbox.delete(player);
    this.awaitingCode.delete(player);
  }

  /** Loads the sandbox's code (once per page); `player` is placed again when it is here. */
  private awaitCode(player: StagePlayer): null {
    const first = this.awaitingCode.size === 0;
    this.awaitingCode.add(player);
    if (!first) return null;
    sandboxCode ??= import('../backends/sandbox-backend.js').then((code) => (loadedSandboxCode = code));
    const placeAgain = () => {
      const players = [...this.awaitingCode];
      this.awaitingCode.clear();
      for (const player of players) this.events.replace(player);
    };
    sandboxCode.then(placeAgain, (error: unknown) => {
      sandboxCode = null;
      this.sandboxBroken = true;
      this.host.emit(
        new LottieSyncErrorEvent(
          'expressions-disabled',
          `The sandbox for files with expressions could not be loaded (${(error as Error)?.message ?? error}); they are drawn without their expressions.`,
          null,
          false,
        ),
      );
      placeAgain();
    });
    return null;
  }

  /** A renderer could not be built in the sandbox: the file is drawn without expressions (true), or it is not the sandbox's (false). */
  rendererFailed(player: StagePlayer, message: string): boolean {
    const url = player.load.entry?.url;
    if (!this.sandbox || player.surface.backend !== this.sandbox || url === undefined) return false;
    this.refused.add(url);
    this.tell(player, url, `${url}: ${message}`);
    this.events.replace(player);
    return true;
  }

  watchdog(now: number, pageStalled: boolean): void {
    const sandbox = this.sandbox;
    if (!sandbox) return;
    if (pageStalled) return sandbox.extendDeadline(now);
    sandbox.expireUnshown(now);
    if (sandbox.overdue(now, SANDBOX_TIMEOUT_MS)) sandbox.fail('it stopped answering');
  }

  /** The sandbox is drawing, or its frames are on their way to its render worker: ticks go on (the watchdog runs in them). */
  get waiting(): boolean {
    return this.sandbox?.waiting ?? false;
  }

  /** The sandbox's frames for canvases `ids` never reached its render worker: their players are drawn again. */
  private lost(ids: readonly number[]): void {
    const sandbox = this.sandbox;
    if (!sandbox) return;
    const lost = new Set(ids);
    for (const player of this.onSandbox) {
      const canvas = player.surface.canvas;
      const id = canvas ? sandbox.canvasId(canvas) : undefined;
      if (id !== undefined && lost.has(id)) player.surface.invalidate();
    }
    this.host.requestDraw();
  }

  /**
   * The stage left the document: its link to the sandbox ends (its players get
   * canvases again when it is back). Canvases of a render worker go back to
   * its pool: the worker may be kept for another stage.
   */
  stop(): void {
    this.awaitingCode.clear();
    const sandbox = this.sandbox;
    if (!sandbox) return;
    this.sandbox = null;
    for (const player of this.onSandbox) {
      if (sandbox.presenter?.alive) this.events.returnCanvas(player);
      else this.events.evict(player);
    }
    this.onSandbox.clear();
    sandbox.terminate();
  }

  /**
   * The render worker `shard` ends: if it shows the sandbox's frames, this
   * link to the sandbox ends with it (its canvases are gone), and its players
   * are placed again once the stage has settled where it draws.
   */
  presenterGone(shard: WorkerShard): void {
    const sandbox = this.sandbox;
    if (sandbox?.presenter !== shard) return;
    this.sandbox = null;
    const players = [...this.onSandbox];
    this.onSandbox.clear();
    for (const player of players) this.events.evict(player);
    sandbox.terminate();
    queueMicrotask(() => {
      for (const player of players) this.events.replace(player);
    });
  }

  private sandboxFailed(sandbox: SandboxBackend, message: string): void {
    if (sandbox !== this.sandbox) return;
    this.sandbox = null;
    this.sandboxBroken = true;
    const text = `The sandbox for files with expressions failed (${message}); they are drawn without their expressions.`;
    if (this.host.label) console.warn(`${this.host.label}: ${text}`);
    this.host.emit(new LottieSyncErrorEvent('expressions-disabled', text, null, false));
    const players = [...this.onSandbox];
    this.onSandbox.clear();
    for (const player of players) this.events.replace(player);
  }

  /** lottie-web's full build on the page's main thread (loaded when its first renderer is built). */
  private trustedBackend(): DrawBackend {
    this.trusted ??= new MainThreadBackend(new RendererSet(() => import('../../render/full-lottie.js').then((module) => module.default)));
    return this.trusted;
  }

  private tell(player: StagePlayer, url: string, message: string): void {
    if (this.told.get(player) === url) return;
    this.told.set(player, url);
    player.view.failed(new LottieSyncError('expressions-disabled', message));
  }
}
