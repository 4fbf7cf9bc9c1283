/**
 * One requestAnimationFrame loop. `onTick` gets the frame's timestamp and
 * returns whether it wants another tick; the loop stops itself when nothing is
 * left to do, and `request()` wakes it.
 */
export class FrameTicker {
  private handle: number | null = null;

  constructor(private readonly onTick: (now: number) => boolean) {}

  /** Asks for a tick on the next frame (no-op if one is already asked for). */
  request(): void {
    if (this.handle !== null) return;
    this.handle = requestAnimationFrame((now) => {
      this.handle = null;
      if (this.onTick(now)) this.request();
    });
  }

  /** Stops the loop; `request()` starts it again. */
  cancel(): void {
    if (this.handle === null) return;
    cancelAnimationFrame(this.handle);
    this.handle = null;
  }

  get running(): boolean {
    return this.handle !== null;
  }
}
