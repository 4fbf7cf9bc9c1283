import { ClockSync } from './clock-sync.js';
import { PROTOCOL_VERSION, type RelayMessage, type SyncMessage } from './messages.js';
import type { SyncTransport } from './transport.js';

export interface RelayTransportOptions {
  /** Relay URLs, tried in turn: on loss of one the next is used, with backoff and jitter. */
  readonly urls: readonly string[];
  readonly room: string;
  readonly role: 'leader' | 'follower';
  readonly token?: string;
  readonly sender: string;
  /** The relay refused something (a follower controlling, a bad token, a full room...). */
  readonly onError?: (code: string, message: string) => void;
}

const PING_BURST = 12;
const PING_BURST_GAP_MS = 40;
/** Then one ping every 2 s (with its pong, one message a second per idle client; the estimate keeps 2 minutes of samples). */
const PING_EVERY_MS = 2_000;
/** Until this many samples are kept, ping ten times a second: the estimate's error shrinks with each one. */
const PING_FAST_UNTIL = 128;
const PING_FAST_EVERY_MS = 100;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 8_000;
const PROBE_TIMEOUT_MS = 2_000;

/** Round trip of one ping to the relay at `url`, in ms (Infinity when it does not answer in time). */
function probe(url: string, sender: string): Promise<number> {
  return new Promise((resolve) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      resolve(Infinity);
      return;
    }
    let sentAt = 0;
    const done = (time: number) => {
      clearTimeout(timer);
      socket.close();
      resolve(time);
    };
    const timer = setTimeout(() => done(Infinity), PROBE_TIMEOUT_MS);
    socket.onopen = () => {
      sentAt = performance.now();
      socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'ping', sender, id: 0, t0: 0 }));
    };
    socket.onmessage = () => done(performance.now() - sentAt);
    socket.onerror = () => done(Infinity);
  });
}

/**
 * A stage's link to a sync relay over WebSocket. It joins the room, keeps the
 * relay's clock in view (a burst of pings on connect, on reconnect and when
 * the tab becomes visible, then ten a second until 128 samples are kept, then
 * one every 2 s), and reconnects to the next
 * URL with backoff and jitter when the relay goes away (or says `bye`). While
 * cut off the stage keeps playing from the last vector.
 */
export class RelayTransport implements SyncTransport {
  onMessage: ((data: unknown) => void) | null = null;
  readonly clock = new ClockSync();
  private socket: WebSocket | null = null;
  private urlIndex = 0;
  private attempts = 0;
  private welcomed = false;
  private closed = false;
  private readonly outbox: SyncMessage[] = [];
  private pingId = 0;
  /** Clock samples taken on this connection: the fast pings stop at 128, whatever has expired since. */
  private samplesTaken = 0;
  /** When this connection's join was sent (local epoch ms): the welcome is the first clock sample. */
  private joinSentAt = 0;
  private pingingPeriodically = false;
  private readonly pings = new Map<number, number>();
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly onVisible = () => {
    if (!document.hidden) this.pingBurst();
  };

  private urls: readonly string[];

  constructor(private readonly options: RelayTransportOptions) {
    this.urls = options.urls;
    document.addEventListener('visibilitychange', this.onVisible);
    if (this.urls.length > 1) void this.pickNearest().then(() => this.connect());
    else this.connect();
  }

  /**
   * With several relays: one ping to each, then the order of round trips
   * (unreachable ones last) is the order they are tried in.
   */
  private async pickNearest(): Promise<void> {
    const times = await Promise.all(this.urls.map((url) => probe(url, this.options.sender)));
    this.urls = this.urls
      .map((url, i) => ({ url, time: times[i]! }))
      .sort((a, b) => a.time - b.time)
      .map(({ url }) => url);
  }

  /** The relay clock's offset now (ms, relay minus this page), as estimated and slewed. */
  offsetNow(): number {
    return this.clock.offsetAt(performance.timeOrigin + performance.now());
  }

  get connected(): boolean {
    return this.welcomed;
  }

  send(message: SyncMessage): void {
    if (message.type === 'hello') return; // the relay's welcome carries the state
    if (this.welcomed && this.socket) this.socket.send(JSON.stringify(message));
    else this.outbox.push(message);
  }

  close(): void {
    this.closed = true;
    document.removeEventListener('visibilitychange', this.onVisible);
    for (const timer of this.timers) clearTimeout(timer);
    this.socket?.close();
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private connect(): void {
    if (this.closed) return;
    const url = this.urls[this.urlIndex % this.urls.length]!;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      this.options.onError?.('relay-unreachable', `Cannot open ${url}: ${(error as Error).message}`);
      this.retry();
      return;
    }
    this.socket = socket;
    this.welcomed = false;
    socket.onopen = () => {
      const { room, role, token, sender } = this.options;
      this.joinSentAt = performance.timeOrigin + performance.now();
      socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'join', sender, room, role, ...(token ? { token } : {}) }));
    };
    socket.onmessage = (event) => this.receive(String(event.data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.welcomed = false;
      if (!this.closed) this.retry();
    };
  }

  private retry(): void {
    this.urlIndex += 1;
    this.attempts += 1;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(this.attempts - 1, 6));
    this.later(base / 2 + Math.random() * (base / 2), () => this.connect());
  }

  private receive(text: string): void {
    let message: RelayMessage;
    try {
      message = JSON.parse(text) as RelayMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'welcome':
        this.welcomed = true;
        this.attempts = 0;
        this.clock.reset();
        this.pings.clear();
        this.samplesTaken = 1;
        // The welcome carries the relay's time: the join and the welcome are the first ping.
        this.clock.addSample(this.joinSentAt, message.serverTime, performance.timeOrigin + performance.now());
        this.pingBurst();
        if (message.state) this.onMessage?.(message.state);
        for (const queued of this.outbox.splice(0)) this.socket?.send(JSON.stringify(queued));
        return;
      case 'pong': {
        const sentAt = this.pings.get(message.id);
        if (sentAt === undefined) return;
        this.pings.delete(message.id);
        this.clock.addSample(sentAt, message.t1, performance.timeOrigin + performance.now());
        this.samplesTaken += 1;
        return;
      }
      case 'error':
        this.options.onError?.(message.code, message.message);
        return;
      case 'bye':
        // The relay is going away: move to the next one now.
        this.socket?.close();
        return;
      case 'state':
        this.onMessage?.(message);
        return;
    }
  }

  private ping(): void {
    if (!this.welcomed || !this.socket) return;
    const id = (this.pingId += 1);
    const t0 = performance.timeOrigin + performance.now();
    this.pings.set(id, t0);
    this.socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'ping', sender: this.options.sender, id, t0 }));
  }

  private pingBurst(): void {
    for (let i = 0; i < PING_BURST; i += 1) this.later(i * PING_BURST_GAP_MS, () => this.ping());
    if (this.pingingPeriodically) return;
    this.pingingPeriodically = true;
    this.later(PING_BURST * PING_BURST_GAP_MS + PING_FAST_EVERY_MS, () => this.pingPeriodically());
  }

  private pingPeriodically(): void {
    this.ping();
    this.later(this.samplesTaken < PING_FAST_UNTIL ? PING_FAST_EVERY_MS : PING_EVERY_MS, () => this.pingPeriodically());
  }
}
