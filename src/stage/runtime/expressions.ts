import { LottieSyncError } from '../../errors.js';
import { LottieSyncErrorEvent } from '../../events.js';
import { RendererSet } from '../../render/frame-renderer.js';
import type { DrawBackend } from '../backends/draw-backend.js';
import { MainThreadBackend } from '../backends/main-thread-backend.js';
import { SandboxBackend } from '../backends/sandbox-backend.js';
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
   * without its expressions (the page is told).
   */
  place(player: StagePlayer): DrawBackend | undefined {
    const entry = player.load.entry;
    if (!entry?.meta.expressions) return undefined;
    this.leave(player);
    if (this.mode === 'page') return this.trustedBackend();
    if (this.mode === 'sandbox' && entry.meta.workerSafe && !this.sandboxBroken && !this.refused.has(entry.url)) {
      this.sandbox ??= new SandboxBackend(
        this.frameMemoryBytes(),
        (failed, message) => this.sandboxFailed(failed, message),
        this.events.presenter(),
      );
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
    if (pageStalled) sandbox.extendDeadline(now);
    else if (sandbox.overdue(now, SANDBOX_TIMEOUT_MS)) sandbox.fail('it stopped answering');
  }

  /**
   * The stage left the document: its link to the sandbox ends (its players get
   * canvases again when it is back). Canvases of a render worker go back to
   * its pool: the worker may be kept for another stage.
   */
  stop(): void {
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
