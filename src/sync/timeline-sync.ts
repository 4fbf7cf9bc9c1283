import type { TimelineVector } from '../clock/timeline.js';
import { PROTOCOL_VERSION, Rejection, validateMessage, type StateMessage } from './messages.js';
import { compareStamps, StampClock } from './stamp.js';
import type { SyncTransport } from './transport.js';

/** A timeline's state on this page's clock (`performance.now()` milliseconds). */
export interface TimelineState {
  readonly vector: TimelineVector;
  readonly rate: number;
  readonly playing: boolean;
}

/** What a TimelineSync keeps in step: a stage's timeline. */
export interface SyncTarget {
  snapshot(): TimelineState;
  /** Takes a state from another stage of the room (does not send it back). */
  apply(state: TimelineState): void;
}

function randomId(): string {
  return Math.random().toString(36).slice(2, 12);
}

export interface TimelineSyncOptions {
  /** This page's sender id (the transport may need it first); random by default. */
  readonly sender?: string;
}

/**
 * Keeps a stage's timeline in step with the other stages of a room. Local
 * changes (play, pause, seek, rate) go out as one vector stamped when they are
 * made (a hybrid logical clock on the room's shared clock, see stamp.ts);
 * received states are applied when their stamp is newer than the room's
 * newest so far, on every transport alike. Nothing is sent per frame: every
 * stage computes its frames from the vector. A newcomer says hello and is
 * answered with the latest state, so it is in sync before it draws.
 *
 * The page keeps its last local change, so nothing older replaces it: an echo
 * of one of its earlier changes (a relay delivers them in order, a scrub sends
 * many) is never applied over a later one, nor is another sender's change
 * stamped before it. And so a change the room lost (a relay killed before it
 * passed it on, a Redis restarted empty) is said again: on a welcome, if the
 * room's state is older than that change, the page sends it again instead of
 * taking the older state.
 */
export class TimelineSync {
  readonly sender: string;
  private readonly clock: StampClock;
  private seq = 0;
  /** The room's newest state received (by stamp). */
  private room: StateMessage | null = null;
  /** This page's last local change (its stamp replaced by the relay's when echoed). */
  private mine: StateMessage | null = null;
  /** Whether the stage shows `mine` (else it shows `room`). */
  private showingMine = false;

  constructor(
    private readonly transport: SyncTransport,
    private readonly target: SyncTarget,
    options: TimelineSyncOptions = {},
  ) {
    this.sender = options.sender ?? randomId();
    this.clock = new StampClock(this.sender, () => transport.now());
    transport.onMessage = (data) => this.receive(data);
    transport.onWelcome = (state) => this.welcomed(state);
    transport.onSuperseded = (seq) => this.superseded(seq);
    transport.send({ v: PROTOCOL_VERSION, type: 'hello', sender: this.sender });
  }

  /** The local timeline changed: tell the room. */
  publish(): void {
    const { vector, rate, playing } = this.target.snapshot();
    this.seq += 1;
    this.mine = {
      v: PROTOCOL_VERSION,
      type: 'state',
      sender: this.sender,
      seq: this.seq,
      stamp: this.clock.next(),
      vector: { position: vector.position, velocity: vector.velocity, timestamp: vector.timestamp + performance.timeOrigin },
      rate,
      playing,
    };
    this.showingMine = true;
    this.transport.send(this.mine);
  }

  private receive(data: unknown): void {
    const message = validateMessage(data);
    if (message instanceof Rejection) return;
    if (message.type === 'hello') {
      const shown = this.showingMine ? this.mine : this.room;
      if (shown) this.transport.send(shown);
      return;
    }
    if (message.type === 'state') this.take(message);
  }

  /** A state from the room: applied if it is the newest, unless it is older than this page's own last change. */
  private take(state: StateMessage): void {
    this.clock.observe(state.stamp);
    if (this.room && compareStamps(state.stamp, this.room.stamp) <= 0) return;
    this.room = state;
    const mine = this.mine;
    if (mine && state.sender === this.sender) {
      // An echo of an earlier change of ours: the later one is on its way.
      if (state.seq < mine.seq) return;
      if (state.seq === mine.seq) {
        this.mine = state; // the room's stamp of it, for later comparisons
        if (this.showingMine) return; // on screen already
      }
    } else if (mine && this.showingMine && compareStamps(state.stamp, mine.stamp) < 0) {
      // Made before our last change: ours orders after it, and is on its way (or said again on the next welcome).
      return;
    }
    this.show(state);
  }

  private show(state: StateMessage): void {
    this.showingMine = state.sender === this.sender && state.seq === this.mine?.seq;
    const { vector } = state;
    this.target.apply({
      vector: { position: vector.position, velocity: vector.velocity, timestamp: vector.timestamp - performance.timeOrigin },
      rate: state.rate,
      playing: state.playing,
    });
  }

  /**
   * Joined (or joined again) through a relay; `state` is the room's now. If
   * the room lacks this page's last change and holds nothing newer, the change
   * is said again (a relay stamps it no later than it was made, so it cannot
   * overtake a newer one elsewhere); otherwise the room's state is taken.
   */
  private welcomed(state: StateMessage | null): void {
    const mine = this.mine;
    if (state) this.clock.observe(state.stamp);
    const roomHasIt = state !== null && state.sender === this.sender && mine !== null && state.seq >= mine.seq;
    if (mine && this.showingMine && !roomHasIt && (!state || compareStamps(state.stamp, mine.stamp) < 0)) {
      if (state && (!this.room || compareStamps(state.stamp, this.room.stamp) > 0)) this.room = state;
      this.transport.send(mine);
      return;
    }
    if (state) this.take(state);
  }

  /** The relay refused our change `seq` because the room has a newer state: show the room's. */
  private superseded(seq: number): void {
    if (!this.mine || seq !== this.mine.seq || !this.showingMine) return;
    if (this.room) this.show(this.room);
    else this.showingMine = false;
  }

  /**
   * Applies the room's newest state again, dropping this page's last change:
   * after the room refused a local change (a follower cannot control), so the
   * stage goes back to what the room shows.
   */
  resync(): void {
    this.mine = null;
    this.showingMine = false;
    if (this.room) this.show(this.room);
  }

  close(): void {
    this.transport.onMessage = null;
    this.transport.onWelcome = null;
    this.transport.onSuperseded = null;
    this.transport.close();
  }
}
