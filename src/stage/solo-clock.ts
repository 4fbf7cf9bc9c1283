import type { PlayerRegistration, PlayerView } from '../registration/protocol.js';
import { StageRuntime } from './runtime/stage-runtime.js';

/** The private clock of a player that is in no stage. */
export interface SoloClock {
  register(view: PlayerView): PlayerRegistration;
  /** The player left the document, or joined a stage: stop ticking. */
  suspend(): void;
  resume(): void;
}

/** Makes a player's private clock: a runtime of its own that autoplays and draws on the main thread. */
export function createSoloClock(): SoloClock {
  const runtime = new StageRuntime({ host: null });
  runtime.playback.autoplay = true;
  return {
    register: (view) => runtime.register(view, null),
    suspend: () => runtime.suspend(),
    resume: () => runtime.resume(),
  };
}
