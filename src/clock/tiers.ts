/**
 * Throttle tiers: how often a stage draws, by how many players it has.
 * Time always flows at the true rate; a lower tier shows fewer frames, never a
 * slower animation. DOM-free.
 */

/** One row: up to `maxPlayers` players (Infinity for `*`), draw at most `fps` times a second. */
export interface Tier {
  readonly maxPlayers: number;
  readonly fps: number;
}

/** The design doc's table: up to 5 players 60 fps, up to 15 30 fps, up to 25 15 fps, more 10 fps. */
export const DEFAULT_TIERS: readonly Tier[] = [
  { maxPlayers: 5, fps: 60 },
  { maxPlayers: 15, fps: 30 },
  { maxPlayers: 25, fps: 15 },
  { maxPlayers: Infinity, fps: 10 },
];

/** Rates the adaptive mode chooses among, highest first. */
export const ADAPTIVE_RATES: readonly number[] = [60, 30, 20, 15, 10, 5];

/** Writes a table back in attribute form: `5:60 15:30 25:15 *:10`. */
export function formatTiers(tiers: readonly Tier[]): string {
  return tiers.map((tier) => `${tier.maxPlayers === Infinity ? '*' : tier.maxPlayers}:${tier.fps}`).join(' ');
}

/**
 * Reads `tiers="5:60 15:30 25:15 *:10"`: pairs of a player count (or `*` for
 * any number) and a rate, counts increasing, ending with `*`. Throws a
 * RangeError that says what is wrong.
 */
export function parseTiers(text: string): Tier[] {
  const parts = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (parts.length === 0) throw new RangeError('it is empty');
  const tiers: Tier[] = [];
  for (const part of parts) {
    const match = /^(\d+|\*):(\d+(?:\.\d+)?)$/.exec(part);
    if (!match) throw new RangeError(`"${part}" is not "players:fps"`);
    const maxPlayers = match[1] === '*' ? Infinity : Number(match[1]);
    const fps = Number(match[2]);
    if (!(fps > 0 && fps <= 240)) throw new RangeError(`"${part}": the rate must be above 0 and at most 240`);
    const previous = tiers.at(-1);
    if (previous && maxPlayers <= previous.maxPlayers) throw new RangeError(`"${part}": player counts must increase`);
    tiers.push({ maxPlayers, fps });
  }
  if (tiers.at(-1)!.maxPlayers !== Infinity) throw new RangeError('the last tier must be "*:fps", for any number of players');
  return tiers;
}

/** The rate for `players` players. */
export function tierFor(tiers: readonly Tier[], players: number): number {
  return (tiers.find((tier) => players <= tier.maxPlayers) ?? tiers.at(-1)!).fps;
}

/** Pixel-ratio scales the adaptive mode steps through once the lowest rate is not enough. */
export const ADAPTIVE_SCALES: readonly number[] = [1, 0.75, 0.5];

/**
 * Picks a draw rate, and then a pixel-ratio scale, from measured draw cost.
 * Rates come first: the highest rate whose cost per tick fits `budgetShare` of
 * that rate's frame interval. If even the lowest rate is over budget, the
 * pixel ratio steps down (fewer pixels to draw and copy), one step at a time.
 * It steps down after `downAfter` consecutive over-budget windows and back up
 * (pixel ratio first, one step at a time, then rates, straight to the highest
 * with room to spare) after `upAfter` calm windows with room to spare
 * (hysteresis, so it does not flap).
 */
export class AdaptiveRate {
  /** Position on the ladder: rates[0..], then the lowest rate with scales[1..]. */
  private index = 0;
  private over = 0;
  private under = 0;

  constructor(
    readonly rates: readonly number[] = ADAPTIVE_RATES,
    readonly budgetShare = 0.5,
    readonly downAfter = 2,
    readonly upAfter = 4,
    readonly scales: readonly number[] = ADAPTIVE_SCALES,
  ) {}

  private get lastRate(): number {
    return this.rates.length - 1;
  }

  get fps(): number {
    return this.rates[Math.min(this.index, this.lastRate)]!;
  }

  /** Multiplier of the pixel ratio canvases are drawn at (1 until the lowest rate is not enough). */
  get pixelScale(): number {
    return this.scales[Math.max(0, this.index - this.lastRate)] ?? 1;
  }

  private budgetAt(fps: number): number {
    return (1000 / fps) * this.budgetShare;
  }

  /**
   * Feeds one window's draw cost per tick (ms, a high percentile) and returns
   * the rate to use next (`pixelScale` may have changed too).
   */
  update(costMs: number): number {
    const lastIndex = this.lastRate + this.scales.length - 1;
    if (costMs > this.budgetAt(this.fps) && this.index < lastIndex) {
      this.under = 0;
      this.over += 1;
      if (this.over >= this.downAfter) {
        this.over = 0;
        if (this.index < this.lastRate) {
          // Jump straight to the highest rate that fits the measured cost.
          while (this.index < this.lastRate && costMs > this.budgetAt(this.rates[this.index]!)) this.index += 1;
        } else {
          this.index += 1; // a smaller pixel ratio: its effect is measured before the next step
        }
      }
      return this.fps;
    }
    this.over = 0;
    // Stepping up: a larger pixel ratio costs about the square of the scale more; a higher rate, its budget.
    const roomFor =
      this.index > this.lastRate
        ? this.budgetAt(this.fps) * (this.pixelScale / this.scales[this.index - this.lastRate - 1]!) ** 2
        : this.index > 0
          ? this.budgetAt(this.rates[this.index - 1]!)
          : 0;
    if (this.index > 0 && costMs < roomFor * 0.7) {
      this.under += 1;
      if (this.under >= this.upAfter) {
        this.under = 0;
        const rateStep = this.index <= this.lastRate;
        this.index -= 1;
        // A rate step goes on to the highest rate with the same room to spare (a pixel-ratio step is
        // measured first): a cost that fell after a file's first frames came back in 2 s, not one rate per 2 s.
        while (rateStep && this.index > 0 && costMs < this.budgetAt(this.rates[this.index - 1]!) * 0.7) this.index -= 1;
      }
    } else {
      this.under = 0;
    }
    return this.fps;
  }
}
