import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StageMetrics } from '../metrics.js';
import { PROTOCOL_VERSION } from '../sync/messages.js';
import { TimelineSync, type SyncTarget, type TimelineState } from '../sync/timeline-sync.js';
import { BroadcastTransport } from '../sync/transport.js';
import type { RelayTransport, RelayTransportOptions } from '../sync/relay-transport.js';
import type { StageRuntime } from './runtime/stage-runtime.js';

/** The stage attributes that say which room to sync with. */
export interface SyncSettings {
  readonly channel: string | null;
  readonly urls: string | null;
  readonly room: string | null;
  readonly role: string | null;
  readonly token: string | null;
}

export interface SyncHost {
  /** The room's rate was taken (the stage's `speed` follows). */
  rateChanged(rate: number): void;
  /** The relay refused something, or cannot be reached. */
  syncError(code: 'sync-refused' | 'relay-unreachable', message: string): void;
}

/** Metrics reports go to the relay on every this-many-th metrics tick (once a second). */
const REPORT_EVERY = 5;
/** Tabs of a channel answer a hello within milliseconds: after this with no answer the stage is alone and plays its own. */
const TAB_ANSWER_MS = 150;
/** Longest lead of a scheduled change: a room whose members are further away than this changes at once. */
const MAX_LEAD_MS = 250;
/** The lead across tabs: messages between them take a millisecond or two, a frame is 16. */
const TAB_LEAD_MS = 40;
/** Added to the relay's round trip (a follower on another relay is one Redis hop further). */
const LEAD_MARGIN_MS = 40;
/**
 * The least lead through a relay: a leader measures only its own path, and the room's followers may be
 * further away (another continent is 80-150 ms one way); a change gets at least this long to reach them.
 */
const MIN_RELAY_LEAD_MS = 150;
/**
 * Once the relay has told the room's largest delay: the lead is this page's way to the relay and that
 * delay (each a high percentile of measured trips) and this margin (a Redis hop and a frame), at least TAB_LEAD_MS.
 */
const ROOM_LEAD_MARGIN_MS = 30;
/** A relay that has neither welcomed nor failed by then: the stage plays its own timeline meanwhile (and takes the room's when it comes). */
const HOLD_MAX_MS = 3000;

/**
 * Keeps a stage's timeline in step with a sync room: a relay (`sync-url`) or a
 * BroadcastChannel (`sync-channel`). It joins while the stage is connected,
 * rejoins when the settings change, puts the timeline on the relay's clock,
 * publishes local changes and applies the room's. Joining, the stage draws
 * nothing until it holds the room's state (and, through a relay, a clock
 * estimate good to a fraction of a frame), so its first frame is the room's.
 */
export class SyncController implements ReactiveController {
  private sync: TimelineSync | null = null;
  private relay: RelayTransport | null = null;
  private reportsDue = 0;
  private settings: SyncSettings | null = null;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  /** Counts joins and leaves: a relay transport that loads after a leave is not used. */
  private joins = 0;
  /** Send the relay this stage's metrics every 5 s (`sync-report`). */
  reports = false;
  /** `sync-instant`: local changes take effect at once instead of on the same frame everywhere. */
  instant = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly runtime: StageRuntime,
    private readonly events: SyncHost,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.settings) this.join(this.settings);
  }

  hostDisconnected(): void {
    this.leave();
  }

  /** Joins the room the settings name (leaving any other). */
  join(settings: SyncSettings): void {
    this.leave();
    this.settings = settings;
    const urls = (settings.urls ?? '').split(/\s+/).filter(Boolean);
    if (urls.length === 0 && (!settings.channel || typeof BroadcastChannel !== 'function')) return;
    const { runtime, events } = this;
    const { playback } = runtime;
    this.hold(urls.length > 0 ? HOLD_MAX_MS : TAB_ANSWER_MS);
    const target = {
      snapshot: () => playback.snapshot(),
      apply: (state: TimelineState) => {
        playback.applyRemote(state);
        events.rateChanged(playback.playbackRate);
        // Across tabs the room's state is all there is to wait for (they share the epoch clock).
        if (urls.length === 0) this.release();
      },
    };
    if (urls.length === 0) {
      playback.lead = () => (this.instant ? 0 : TAB_LEAD_MS);
      this.start(new TimelineSync(new BroadcastTransport(settings.channel!), target));
      return;
    }
    // The relay's transport and clock are a chunk of their own (most pages sync across tabs or not at
    // all): it loads while the stage holds, before anything is drawn.
    const joining = this.joins;
    import('../sync/relay-transport.js').then(
      ({ RelayTransport }) => {
        if (joining !== this.joins) return;
        const options = this.relayOptions(urls, settings);
        this.joinRelay(new RelayTransport(options), target, options.sender);
      },
      (error: unknown) => {
        if (joining !== this.joins) return;
        events.syncError('relay-unreachable', `relay-unreachable: the relay transport did not load (${String(error)})`);
        this.release();
      },
    );
  }

  private relayOptions(urls: string[], settings: SyncSettings): RelayTransportOptions {
    const { events } = this;
    return {
      urls,
      room: settings.room || 'default',
      role: settings.role === 'follower' ? 'follower' : 'leader',
      token: settings.token ?? undefined,
      sender: Math.random().toString(36).slice(2, 12),
      onError: (code, message) => {
        events.syncError(code === 'relay-unreachable' ? 'relay-unreachable' : 'sync-refused', `${code}: ${message}`);
        if (code === 'forbidden') this.sync?.resync();
        // No relay to wait for: play this page's own timeline until one answers.
        if (code === 'relay-unreachable') this.release();
      },
    };
  }

  private joinRelay(relay: RelayTransport, target: SyncTarget, sender: string): void {
    const { runtime } = this;
    const { playback } = runtime;
    relay.onInStep = () => this.release();
    // A change takes effect when the room has heard of it: once the relay has told the room's largest
    // delay, this page's way there, that delay and a margin (at most MAX_LEAD_MS: a member further
    // away hears of it late); before, this page's round trip and a margin, at least MIN_RELAY_LEAD_MS.
    // A leader whose own way is past the bound changes at once.
    playback.lead = () => {
      const roundTrip = relay.clock.roundTrip;
      if (this.instant || roundTrip === null) return 0;
      const up = relay.upDelayMs;
      const room = relay.roomDelayMs;
      if (up !== null && room !== null) {
        if (up + ROOM_LEAD_MARGIN_MS > MAX_LEAD_MS) return 0;
        return Math.min(MAX_LEAD_MS, Math.max(TAB_LEAD_MS, up + room + ROOM_LEAD_MARGIN_MS));
      }
      const lead = Math.max(MIN_RELAY_LEAD_MS, roundTrip + LEAD_MARGIN_MS);
      return lead <= MAX_LEAD_MS ? lead : 0;
    };
    this.relay = relay;
    // The timeline runs on the relay's clock, as estimated: corrections are slewed continuously.
    runtime.clockShift = () => relay.offsetNow();
    this.start(new TimelineSync(relay, target, { sender }));
  }

  private start(sync: TimelineSync): void {
    this.runtime.playback.onLocalChange = () => sync.publish();
    this.sync = sync;
  }

  /** The stage draws nothing until released (or `ms` have passed). */
  private hold(ms: number): void {
    this.runtime.joining = true;
    this.holdTimer = setTimeout(() => this.release(), ms);
  }

  private release(): void {
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.runtime.joining = false;
  }

  private leave(): void {
    this.joins++;
    this.release();
    this.sync?.close();
    this.sync = null;
    this.relay = null;
    this.runtime.clockShift = () => 0;
    this.runtime.playback.onLocalChange = null;
    this.runtime.playback.lead = () => 0;
  }

  /** The stage's metrics with the relay's clock estimate added. */
  withClock(metrics: StageMetrics): StageMetrics {
    const relay = this.relay;
    if (!relay) return metrics;
    return {
      ...metrics,
      clockOffsetMs: relay.offsetNow(),
      roundTripMs: relay.clock.roundTrip,
      clockSamples: relay.clock.sampleCount,
    };
  }

  /** Called once a second with the stage's metrics: every fifth goes to the relay when the stage reports. */
  metricsTick(metrics: StageMetrics): void {
    this.reportsDue = (this.reportsDue + 1) % REPORT_EVERY;
    const relay = this.relay;
    if (!this.reports || !relay?.connected || !this.sync || this.reportsDue !== 0) return;
    relay.send({
      v: PROTOCOL_VERSION,
      type: 'report',
      sender: this.sync.sender,
      players: metrics.playersTotal,
      ticksPerSecond: metrics.ticksPerSecond,
      spread: metrics.spread,
      clockOffsetMs: metrics.clockOffsetMs ?? 0,
    });
  }
}
