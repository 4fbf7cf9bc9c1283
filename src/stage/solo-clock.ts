import type { PlayerRegistration, PlayerView } from '../registration/protocol.js';
import { StageRuntime } from './runtime/stage-runtime.js';

/** The private clock of a player that is in no stage. */
export interface SoloClock {
  register(view: PlayerView): PlayerRegistration;
  /** Start playing once the player is loaded (set before it loads). */
  autoplay: boolean;
  /** The player left the document, or joined a stage: stop ticking. */
  suspend(): void;
  resume(): void;
}

/** Makes a player's private clock: a runtime of its own that draws on the main thread. */
export function createSoloClock(): SoloClock {
  const runtime = new StageRuntime({ host: null });
  return {
    register: (view) => runtime.register(view, null),
    get autoplay() {
      return runtime.playback.autoplay;
    },
    set autoplay(on: boolean) {
      runtime.playback.autoplay = on;
    },
    suspend: () => runtime.suspend(),
    resume: () => runtime.resume(),
  };
}
