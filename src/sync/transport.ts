import type { StateMessage, SyncMessage } from './messages.js';

/** How a stage reaches the other stages of its room: a BroadcastChannel, or a WebSocket relay. */
export interface SyncTransport {
  send(message: SyncMessage): void;
  /** Raw received data, validated by the caller. */
  onMessage: ((data: unknown) => void) | null;
  /** Joined (or joined again) a relay room: the room's state then, null if it has none. Transports without joins never call it. */
  onWelcome: ((state: StateMessage | null) => void) | null;
  /** The relay refused this page's change `seq`: the room holds a newer state. */
  onSuperseded: ((seq: number) => void) | null;
  /** Now on the room's shared clock (epoch ms): what changes are stamped with. */
  now(): number;
  close(): void;
}

/** Tabs and frames of one origin, through a BroadcastChannel; no server. */
export class BroadcastTransport implements SyncTransport {
  onMessage: ((data: unknown) => void) | null = null;
  onWelcome: ((state: StateMessage | null) => void) | null = null;
  onSuperseded: ((seq: number) => void) | null = null;
  private readonly channel: BroadcastChannel;

  constructor(name: string) {
    this.channel = new BroadcastChannel(`lottie-sync:${name}`);
    this.channel.onmessage = (event) => this.onMessage?.(event.data);
  }

  /** Tabs share the epoch clock (their vectors are on it too). */
  now(): number {
    return Date.now();
  }

  send(message: SyncMessage): void {
    this.channel.postMessage(JSON.stringify(message));
  }

  close(): void {
    this.channel.close();
  }
}
