import { surfaceHidden } from '../backends/surface-cover.js';
import type { StageHost } from './stage-host.js';
import type { StagePlayer } from './stage-player.js';

/**
 * The players a stage surface cannot show: something
 * between a player and the stage would hide its picture or change it
 * (surface-cover.ts), so it is drawn into a canvas of its own until a check
 * finds nothing hiding it any more.
 */
export class OffSurface {
  private readonly players = new Set<StagePlayer>();
  /** The stage element the surface lies in (known once the surface is made). */
  private stage: Element | null = null;

  constructor(
    private readonly host: StageHost,
    /** Gives the player's canvas back and places it again (on or off the surface, as `has` says). */
    private readonly place: (player: StagePlayer) => void,
  ) {}

  /** The surface lies in `stage` from now on. */
  surfaceIn(stage: Element | null): void {
    this.stage = stage;
  }

  has(player: StagePlayer): boolean {
    return this.players.has(player);
  }

  clear(): void {
    this.players.clear();
  }

  /** The surface would hide `player` (`reason`): it is drawn into a canvas of its own (the page is told once). */
  hide(player: StagePlayer, reason: string): void {
    if (this.players.size === 0 && this.host.label)
      console.warn(`${this.host.label}: the stage surface cannot show a player (${reason}); it is drawn into a canvas of its own.`);
    this.players.add(player);
    this.place(player);
    this.host.requestDraw();
  }

  /** The players nothing hides any more go back to the surface (all are forgotten when there is no surface). */
  check(drawsSurface: boolean): void {
    const stage = this.stage;
    if (!drawsSurface || !stage) return this.players.clear();
    const styles = new Map<Element, string | null>();
    for (const player of [...this.players]) {
      if (!player.surface.canvas || surfaceHidden(player.view.element, stage, styles) !== null) continue;
      this.players.delete(player);
      this.place(player);
      this.host.requestDraw();
    }
  }
}
