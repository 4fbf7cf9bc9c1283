/**
 * All that a part of the stage runtime sees of its stage: the runtime
 * implements it, and no part imports the runtime.
 */
export interface StageHost {
  /** Draw on the next frame, whatever the draw rate. */
  requestDraw(): void;
  /** Dispatches one of the stage's events (nothing for a player's private clock). */
  emit(event: Event): void;
  /** Announces `lottie-sync-ready` once every player has drawn its first frame or failed. */
  checkReady(): void;
  /** Now on the clock timeline vectors are kept on (this page's, or a sync room's). */
  timelineNow(): number;
  /** How warnings name the stage (`<lottie-sync-stage>`), or null for a player's private clock. */
  readonly label: string | null;
}
