import type { TimelineVector } from '../clock/timeline.js';
import { PROTOCOL_VERSION, Rejection, supersedes, validateMessage, type StateMessage } from './messages.js';
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

/**
 * Keeps a stage's timeline in step with the other stages of a room. Local
 * changes (play, pause, seek, rate) go out as one versioned vector on the
 * shared epoch clock; received vectors with a higher version (ties: the lower
 * sender id) are applied. Nothing is sent per frame: every stage computes its
 * frames from the vector. A newcomer says hello and is answered with the
 * latest state, so it is in sync before it draws.
 */
export interface TimelineSyncOptions {
  /** This page's sender id (the transport may need it first); random by default. */
  readonly sender?: string;
  /**
   * The transport delivers states in one agreed order (a relay orders them):
   * apply every state as it comes instead of comparing versions.
   */
  readonly ordered?: boolean;
}

export class TimelineSync {
  readonly sender: string;
  private latest: StateMessage | null = null;
  /** The last state that came from the room (not an unconfirmed local one). */
  private confirmed: StateMessage | null = null;
  private readonly ordered: boolean;

  constructor(
    private readonly transport: SyncTransport,
    private readonly target: SyncTarget,
    options: TimelineSyncOptions = {},
  ) {
    this.sender = options.sender ?? randomId();
    this.ordered = options.ordered ?? false;
    transport.onMessage = (data) => this.receive(data);
    transport.send({ v: PROTOCOL_VERSION, type: 'hello', sender: this.sender });
  }

  /** The local timeline changed: tell the room. */
  publish(): void {
    const { vector, rate, playing } = this.target.snapshot();
    this.latest = {
      v: PROTOCOL_VERSION,
      type: 'state',
      sender: this.sender,
      version: (this.latest?.version ?? 0) + 1,
      vector: { position: vector.position, velocity: vector.velocity, timestamp: vector.timestamp + performance.timeOrigin },
      rate,
      playing,
    };
    this.transport.send(this.latest);
  }

  private receive(data: unknown): void {
    const message = validateMessage(data);
    if (message instanceof Rejection) return;
    if (message.type === 'hello') {
      if (this.latest) this.transport.send(this.latest);
      return;
    }
    if (message.type !== 'state') return;
    if (this.ordered || !this.confirmed || supersedes(message, this.confirmed)) this.confirmed = message;
    if (!this.ordered && !supersedes(message, this.latest)) return;
    this.latest = message;
    this.applyState(message);
  }

  private applyState(message: StateMessage): void {
    const { vector } = message;
    this.target.apply({
      vector: { position: vector.position, velocity: vector.velocity, timestamp: vector.timestamp - performance.timeOrigin },
      rate: message.rate,
      playing: message.playing,
    });
  }

  /**
   * Applies the room's last confirmed state again: after the clock offset
   * changed, or after the room refused a local change (a follower cannot
   * control), so the stage goes back to what the room shows.
   */
  resync(): void {
    if (!this.confirmed) return;
    this.latest = this.confirmed;
    this.applyState(this.confirmed);
  }

  close(): void {
    this.transport.onMessage = null;
    this.transport.close();
  }
}
