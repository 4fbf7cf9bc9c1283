import { ClockSync } from './clock-sync.js';
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
const PING_BURST_GAP_MS = 40;
/** Then one ping every 2 s (with its pong, one message a second per idle client; the estimate keeps 2 minutes of samples). */
const PING_EVERY_MS = 2_000;
/** Until this many samples are kept, ping ten times a second: the estimate's error shrinks with each one. */
const PING_FAST_UNTIL = 128;
const PING_FAST_EVERY_MS = 100;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 8_000;
const PROBE_TIMEOUT_MS = 2_000;
/**
 * The clock is good enough to show the room's frames once the estimate can be
 * off by at most this (a quarter of a 60 fps frame: a near relay, at the
 * welcome), or once the welcome and this many answers of its ping burst are
 * in (a far relay: its samples' bounds never narrow below the path's fixed
 * delay, and the first few least-delayed trips are what the midpoint needs),
 * or after IN_STEP_WAIT_MS whatever has come.
 */
const IN_STEP_UNCERTAINTY_MS = 4;
const IN_STEP_SAMPLES = 4;
const IN_STEP_WAIT_MS = 600;
/** Until a welcome says otherwise: the relay's default limits. */
const DEFAULT_LIMITS: RelayLimits = { controlPerSecond: 20, pingsPerSecond: 20 };
/** Changes are sent at this share of the relay's control rate, leaving room for joins and reports. */
const CONTROL_SHARE = 0.8;

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
  readonly clock = new ClockSync();
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
   * With several relays: one ping to each. The first to answer is joined at
   * once (no waiting for the slowest probe); the others are tried later in
   * the order their probes had answered by then.
   */
  private async pickNearest(): Promise<void> {
    const times: number[] = this.urls.map(() => Infinity);
    let first: string | null = null;
    const answered = new Promise<void>((resolve) => {
      void Promise.all(
        this.urls.map(async (url, i) => {
          times[i] = await probe(url, this.options.sender);
          if (first === null && Number.isFinite(times[i])) {
            first = url;
            resolve();
          }
        }),
      ).then(() => resolve());
    });
    await answered;
    // Those that have not answered yet count as unreachable for now, after those that have.
    this.urls = this.urls
      .map((url, i) => ({ url, time: times[i]! }))
      .sort((a, b) => (a.url === first ? -1 : b.url === first ? 1 : a.time - b.time))
      .map(({ url }) => url);
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
    const message = validateRelayMessage(text);
    if (message instanceof Rejection) return; // not from a relay we understand
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
        const sentAt = this.pings.get(message.id);
        if (sentAt === undefined) return;
        this.pings.delete(message.id);
        this.clock.addSample(sentAt, message.t1, performance.timeOrigin + performance.now());
        this.samplesTaken += 1;
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
