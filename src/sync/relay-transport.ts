import { ClockSync, pageClockResolution } from './clock-sync.js';
import {
  PROTOCOL_VERSION,
  Rejection,
  validateRelayMessage,
  type RelayLimits,
  type ReportMessage,
  type StateMessage,
  type SyncMessage,
} from './messages.js';
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
const PING_BURST_GAP_MS = 20;
/**
 * Then two pings a second (with their pongs, four small messages a second per
 * client). Under 50-200 ms of jitter the estimate's error falls as the number
 * of samples in the drift horizon grows: one every 2 s left it 2-5 ms (p95).
 */
const PING_EVERY_MS = 500;
/** The estimate keeps this many samples, over at most this long (ms): the drift allowance makes older ones loose anyway. */
const CLOCK_SAMPLES = 512;
const CLOCK_MAX_AGE_MS = 300_000;
/** One-way delays from the relay: this many of the latest pongs' are kept, and this percentile is what the room is told. */
const DELAY_SAMPLES = 32;
const DELAY_PERCENTILE = 0.9;
/** Until this many pongs are in, this page has no delay figure to tell. */
const DELAY_SAMPLES_MIN = 8;
/** Until this many samples are kept, ping ten times a second: the estimate's error shrinks with each one. */
const PING_FAST_UNTIL = 128;
const PING_FAST_EVERY_MS = 100;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 8_000;
/**
 * The clock is good enough to show the room's frames once the estimate can be
 * off by at most this (a quarter of a 60 fps frame: a near relay, at the
 * welcome), or once the welcome and this many answers of its ping burst are
 * in (a far relay: its samples' bounds never narrow below the path's fixed
 * delay, and the first few least-delayed trips are what the midpoint needs),
 * or after IN_STEP_WAIT_MS whatever has come.
 */
const IN_STEP_UNCERTAINTY_MS = 4;
const IN_STEP_SAMPLES = 8;
const IN_STEP_WAIT_MS = 600;
/** Until a welcome says otherwise: the relay's default limits. */
const DEFAULT_LIMITS: RelayLimits = { controlPerSecond: 20, pingsPerSecond: 20 };
/** Changes are sent at this share of the relay's control rate, leaving room for joins and reports. */
const CONTROL_SHARE = 0.8;

/**
 * A stage's link to a sync relay over WebSocket. It joins the room (with
 * several relays, the first to answer), keeps the relay's clock in view (a
 * burst of pings with the join, on reconnect and when the tab becomes
 * visible, then ten a second until 128 samples are taken, then two a second),
 * tells the relay how long its messages take to arrive (for the leaders'
 * scheduling, see `roomDelayMs`), and reconnects to the next URL with backoff
 * and jitter when the relay goes away (or says `bye`). While cut off the
 * stage keeps playing from the last vector.
 *
 * Changes are paced within the relay's control rate (told in the welcome):
 * the first goes at once, and of those that come faster only the last is
 * kept and sent when the rate allows (a scrub sends what the limit allows,
 * and always its end). A change the relay refused for the rate is sent again.
 * While disconnected only the last change and the last report are kept; on
 * the welcome TimelineSync decides whether the change is said again.
 */
export class RelayTransport implements SyncTransport {
  onMessage: ((data: unknown) => void) | null = null;
  onWelcome: ((state: StateMessage | null) => void) | null = null;
  onSuperseded: ((seq: number) => void) | null = null;
  /**
   * Once, on the first connection: the room's state has been taken (the
   * welcome) and the clock estimate is good to a fraction of a frame (or is
   * the best of the welcome's ping burst), taken at once rather than slewed.
   * Until then a stage draws nothing, so it never shows a frame of its own.
   */
  onInStep: (() => void) | null = null;
  private inStep = false;
  readonly clock = new ClockSync(CLOCK_SAMPLES, undefined, undefined, undefined, undefined, CLOCK_MAX_AGE_MS, pageClockResolution());
  /** The latest pongs' one-way trips (ms): from the relay here, and from here to the relay. */
  private readonly downDelays: number[] = [];
  private readonly upDelays: number[] = [];
  /** The largest one-way delay from a relay to any member of the room (ms), as the relay told this leader; null: not told. */
  roomDelayMs: number | null = null;
  private socket: WebSocket | null = null;
  private urlIndex = 0;
  private attempts = 0;
  private welcomed = false;
  private closed = false;
  private limits = DEFAULT_LIMITS;
  /** The change waiting for its turn (or for a connection): only the last is kept. */
  private queuedState: StateMessage | null = null;
  private lastSentState: StateMessage | null = null;
  private lastStateSentAt = -Infinity;
  private stateTimerSet = false;
  /** The last report, sent once welcomed. */
  private queuedReport: ReportMessage | null = null;
  private pingId = 0;
  /** Clock samples taken on this connection: the fast pings stop at 128, whatever has expired since. */
  private samplesTaken = 0;
  /** When this connection's join was sent (local epoch ms): the welcome is the first clock sample. */
  private joinSentAt = 0;
  private pingingPeriodically = false;
  /** Pings in flight: when each was sent, and on which connection. */
  private readonly pings = new Map<number, { readonly t0: number; readonly socket: WebSocket }>();
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly onVisible = () => {
    if (!document.hidden) this.pingBurst();
  };

  private urls: readonly string[];

  constructor(private readonly options: RelayTransportOptions) {
    this.urls = options.urls;
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect(this.urls);
  }

  /** The relay clock's offset now (ms, relay minus this page), as estimated and slewed. */
  offsetNow(): number {
    return this.clock.offsetAt(performance.timeOrigin + performance.now());
  }

  get connected(): boolean {
    return this.welcomed;
  }

  /** Now on the relay's clock, as estimated (epoch ms): what this page's changes are stamped with. */
  now(): number {
    return performance.timeOrigin + performance.now() + this.offsetNow();
  }

  send(message: SyncMessage): void {
    switch (message.type) {
      case 'hello':
        return; // the relay's welcome carries the state
      case 'state':
        this.queuedState = message;
        return this.sendStates();
      case 'report':
        this.queuedReport = message;
        return this.sendReport();
      default:
        // Joins and pings belong to a connection: this transport sends its own.
        if (this.welcomed) this.socket?.send(JSON.stringify(message));
    }
  }

  /** Sends the queued change if the pace allows, else when it does. */
  private sendStates(): void {
    if (!this.welcomed || !this.socket || !this.queuedState || this.stateTimerSet) return;
    const gap = 1000 / (this.limits.controlPerSecond * CONTROL_SHARE);
    const wait = this.lastStateSentAt + gap - performance.now();
    if (wait > 0) {
      this.stateTimerSet = true;
      this.later(wait, () => {
        this.stateTimerSet = false;
        this.sendStates();
      });
      return;
    }
    this.lastSentState = this.queuedState;
    this.queuedState = null;
    this.lastStateSentAt = performance.now();
    this.socket.send(JSON.stringify(this.lastSentState));
  }

  private sendReport(): void {
    if (!this.welcomed || !this.socket || !this.queuedReport) return;
    this.socket.send(JSON.stringify(this.queuedReport));
    this.queuedReport = null;
  }

  close(): void {
    this.closed = true;
    document.removeEventListener('visibilitychange', this.onVisible);
    for (const timer of this.timers) clearTimeout(timer);
    this.stateTimerSet = false;
    this.socket?.close();
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  /**
   * Opens a connection to each of `urls` at once, each sending its join and a
   * burst of pings as soon as it opens; the first to answer anything is kept and
   * the others are closed. So with several relays the nearest (or the first
   * that is up) is joined in one handshake and one round trip, and a relay
   * that does not answer delays nothing. Later connections try one URL at a
   * time, in the order they answered (see `retry`).
   */
  private connect(urls: readonly string[]): void {
    if (this.closed) return;
    this.welcomed = false;
    const racing = new Set<WebSocket>();
    const joinSentAt = new Map<WebSocket, number>();
    let winner: WebSocket | null = null;
    for (const url of urls) {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url);
      } catch (error) {
        this.options.onError?.('relay-unreachable', `Cannot open ${url}: ${(error as Error).message}`);
        continue;
      }
      racing.add(socket);
      socket.onopen = () => {
        const { room, role, token, sender } = this.options;
        joinSentAt.set(socket, performance.timeOrigin + performance.now());
        socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'join', sender, room, role, ...(token ? { token } : {}) }));
        this.pingBurst(socket);
      };
      socket.onmessage = (event) => {
        if (winner === null) {
          winner = socket;
          for (const other of racing) if (other !== socket) other.close();
          racing.clear();
          // The answering relay goes first; the others keep their order after it.
          this.urls = [url, ...this.urls.filter((other) => other !== url)];
          this.urlIndex = 0;
          this.adopt(socket, joinSentAt.get(socket) ?? performance.timeOrigin + performance.now());
        }
        if (this.socket === socket) this.receive(String(event.data));
      };
      socket.onclose = () => {
        racing.delete(socket);
        if (winner === null && racing.size === 0 && !this.closed) {
          this.socket = null;
          this.retry();
          return;
        }
        if (this.socket !== socket) return;
        this.socket = null;
        this.welcomed = false;
        if (!this.closed) this.retry();
      };
    }
    if (racing.size === 0) this.retry();
  }

  /**
   * The connection that answered: its relay's clock is measured anew (the
   * estimate in use holds until the new one is good, see ClockSync.reset);
   * its ping burst is under way.
   */
  private adopt(socket: WebSocket, joinSentAt: number): void {
    this.socket = socket;
    this.joinSentAt = joinSentAt;
    this.clock.reset();
    this.samplesTaken = 0;
    this.roomDelayMs = null;
    this.downDelays.length = 0;
    this.upDelays.length = 0;
    // Only the pings of this connection count (some of its burst may still be in flight).
    for (const [id, ping] of this.pings) if (ping.socket !== socket) this.pings.delete(id);
  }

  private retry(): void {
    this.urlIndex += 1;
    this.attempts += 1;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(this.attempts - 1, 6));
    this.later(base / 2 + Math.random() * (base / 2), () => this.connect([this.urls[this.urlIndex % this.urls.length]!]));
  }

  private receive(text: string): void {
    const message = validateRelayMessage(text);
    if (message instanceof Rejection) return; // not from a relay we understand
    switch (message.type) {
      case 'welcome':
        this.welcomed = true;
        this.attempts = 0;
        this.samplesTaken += 1;
        // The welcome carries the relay's time: the join and the welcome are one more ping.
        this.clock.addSample(this.joinSentAt, message.serverTime, performance.timeOrigin + performance.now());
        this.limits = message.limits;
        if (this.onWelcome) {
          // The change kept while away goes out only if the room lacks it: TimelineSync compares and sends it again.
          this.queuedState = null;
          this.onWelcome(message.state);
        } else if (message.state) {
          this.onMessage?.(message.state);
        }
        this.sendStates();
        this.sendReport();
        this.checkInStep(false);
        if (!this.inStep) this.later(IN_STEP_WAIT_MS, () => this.checkInStep(true));
        return;
      case 'pong': {
        const sent = this.pings.get(message.id);
        if (sent === undefined) return;
        this.pings.delete(message.id);
        const sentAt = sent.t0;
        const receivedAt = performance.timeOrigin + performance.now();
        this.clock.addSample(sentAt, message.t1, receivedAt);
        this.samplesTaken += 1;
        this.noteDelays(sentAt, message.t1, receivedAt);
        this.checkInStep(false);
        return;
      }
      case 'error':
        if (message.code === 'superseded' && message.seq !== undefined) return this.onSuperseded?.(message.seq);
        if (message.code === 'rate-limited' && message.seq !== undefined && message.seq === this.lastSentState?.seq) {
          // Refused for the pace, not for what it says: send it again in its turn, unless a later change replaced it.
          this.queuedState ??= this.lastSentState;
          this.sendStates();
          return;
        }
        this.options.onError?.(message.code, message.message);
        return;
      case 'room':
        this.roomDelayMs = message.delayMs;
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

  /** Says `onInStep` once the estimate is good enough (or, with `waited`, when the wait is over). */
  private checkInStep(waited: boolean): void {
    if (this.inStep || !this.welcomed) return;
    if (!waited && this.clock.uncertainty > IN_STEP_UNCERTAINTY_MS && this.samplesTaken < IN_STEP_SAMPLES) return;
    this.inStep = true;
    this.clock.snap();
    this.onInStep?.();
  }

  /** A pong's one-way trips, on the relay's clock as estimated; kept for the last DELAY_SAMPLES pongs. */
  private noteDelays(sentAt: number, relayTime: number, receivedAt: number): void {
    const offset = this.clock.estimate;
    for (const [list, delay] of [
      [this.downDelays, receivedAt + offset - relayTime],
      [this.upDelays, relayTime - (sentAt + offset)],
    ] as const) {
      list.push(Math.max(0, delay));
      if (list.length > DELAY_SAMPLES) list.shift();
    }
  }

  /** A high percentile of the latest one-way trips (ms), or null before DELAY_SAMPLES_MIN pongs. */
  private static percentile(list: readonly number[]): number | null {
    if (list.length < DELAY_SAMPLES_MIN) return null;
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * DELAY_PERCENTILE))]!;
  }

  /** How long this page's messages take to reach the relay (ms, a high percentile of the latest pings), or null. */
  get upDelayMs(): number | null {
    return RelayTransport.percentile(this.upDelays);
  }

  private ping(socket = this.socket): void {
    if (socket?.readyState !== WebSocket.OPEN) return;
    const id = (this.pingId += 1);
    const t0 = performance.timeOrigin + performance.now();
    this.pings.set(id, { t0, socket });
    const delay = RelayTransport.percentile(this.downDelays);
    const delayMs = delay === null ? {} : { delayMs: Math.round(delay) };
    socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'ping', sender: this.options.sender, id, t0, ...delayMs }));
  }

  /** A burst of pings on `socket` (one that is racing, or the connection), then the periodic ones. */
  private pingBurst(socket = this.socket): void {
    for (let i = 0; i < PING_BURST; i += 1) this.later(i * PING_BURST_GAP_MS, () => this.ping(socket));
    if (this.pingingPeriodically) return;
    this.pingingPeriodically = true;
    this.later(PING_BURST * PING_BURST_GAP_MS + PING_FAST_EVERY_MS, () => this.pingPeriodically());
  }

  private pingPeriodically(): void {
    this.ping();
    this.later(this.samplesTaken < PING_FAST_UNTIL ? PING_FAST_EVERY_MS : PING_EVERY_MS, () => this.pingPeriodically());
  }
}
