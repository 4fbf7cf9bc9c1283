import type { SyncMessage } from './messages.js';

/** How a stage reaches the other stages of its room. BroadcastChannel now; a WebSocket relay later. */
export interface SyncTransport {
  send(message: SyncMessage): void;
  /** Raw received data, validated by the caller. */
  onMessage: ((data: unknown) => void) | null;
  close(): void;
}

/** Tabs and frames of one origin, through a BroadcastChannel; no server. */
export class BroadcastTransport implements SyncTransport {
  onMessage: ((data: unknown) => void) | null = null;
  private readonly channel: BroadcastChannel;

  constructor(name: string) {
    this.channel = new BroadcastChannel(`lottie-sync:${name}`);
    this.channel.onmessage = (event) => this.onMessage?.(event.data);
  }

  send(message: SyncMessage): void {
    this.channel.postMessage(JSON.stringify(message));
  }

  close(): void {
    this.channel.close();
  }
}
