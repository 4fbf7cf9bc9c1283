import { Coordinator } from '../../clock/coordinator.js';
import type { PlaybackSpec } from '../../clock/frame-map.js';
import { LottieSyncTimelineEvent, type TimelineEventType } from '../../events.js';
import type { TimelineState } from '../../sync/timeline-sync.js';
import type { StageHost } from './stage-host.js';

/** What playback is told about the rest of the stage. */
export interface PlaybackEvents {
  /** What the loaded players play (for the end of a stage without loop, and its duration). */
  specs(): Iterable<PlaybackSpec>;
  /** The timeline changed: every player draws again (groups controlled on their own rejoin it). */
  changed(): void;
}

/**
 * The stage's timeline and its controls: play, pause, seek, rate, the end of a
 * stage without loop, autoplay, and states taken from a sync room.
 */
export class Playback {
  readonly coordinator: Coordinator;
  /** Start playing when the first players are ready. */
  autoplay = false;
  /** Called after every local change of the timeline (play, pause, seek, rate, autoplay): a sync room hears of it. */
  onLocalChange: (() => void) | null = null;
  /**
   * Milliseconds ahead that a local change takes effect (a sync room sets it so
   * that the room hears of the change before its moment, and every page changes
   * on the same frame); 0 takes effect at once.
   */
  lead: () => number = () => 0;
  /** Someone has controlled the timeline: autoplay no longer applies. */
  private controlled = false;

  constructor(
    private readonly host: StageHost,
    private readonly events: PlaybackEvents,
  ) {
    this.coordinator = new Coordinator(host.timelineNow());
  }

  get paused(): boolean {
    return this.coordinator.paused;
  }

  get playbackRate(): number {
    return this.coordinator.playbackRate;
  }

  get currentTime(): number {
    return this.coordinator.positionAt(this.host.timelineNow());
  }

  /** The longest single pass of any loaded player, in seconds. */
  get duration(): number {
    return Coordinator.durationOf(this.events.specs());
  }

  play(): void {
    this.controlled = true;
    if (!this.paused) return;
    const now = this.host.timelineNow();
    const end = Coordinator.endOf(this.events.specs());
    const position = this.coordinator.positionAt(now);
    // Playing a finished stage starts it over, as a media element does.
    const at = now + this.lead();
    if (end !== null && this.playbackRate > 0 && position >= end) this.coordinator.seek(0, now, at);
    if (end !== null && this.playbackRate < 0 && position <= 0) this.coordinator.seek(end, now, at);
    this.coordinator.play(now, at);
    this.changed('lottie-sync-play');
  }

  pause(): void {
    this.controlled = true;
    if (this.paused) return;
    const now = this.host.timelineNow();
    this.coordinator.pause(now, now + this.lead());
    this.changed('lottie-sync-pause');
  }

  seek(seconds: number): void {
    this.controlled = true;
    const now = this.host.timelineNow();
    this.coordinator.seek(seconds, now, now + this.lead());
    this.changed('lottie-sync-seek');
  }

  setPlaybackRate(rate: number): void {
    if (rate === this.playbackRate) return;
    const now = this.host.timelineNow();
    this.coordinator.setPlaybackRate(rate, now, now + this.lead());
    this.changed('lottie-sync-ratechange');
  }

  /** The timeline as it is now: vector, rate, playing. */
  snapshot(): TimelineState {
    const { timeline, playbackRate, paused } = this.coordinator;
    return { vector: timeline, rate: playbackRate, playing: !paused };
  }

  /** Takes the timeline of another stage in the room; announces what changed, does not send it back. */
  applyRemote(state: TimelineState): void {
    this.controlled = true;
    const wasPaused = this.paused;
    const rateChanged = state.rate !== this.playbackRate;
    this.coordinator.setState(state.vector, state.rate, state.playing, this.host.timelineNow());
    let type: TimelineEventType = 'lottie-sync-seek';
    if (wasPaused && state.playing) type = 'lottie-sync-play';
    else if (!wasPaused && !state.playing) type = 'lottie-sync-pause';
    else if (rateChanged) type = 'lottie-sync-ratechange';
    this.changed(type, false);
  }

  /**
   * The stage's position at `now` (a tick's time on the timeline clock). A
   * stage without loop that reaches its end pauses there and says so.
   */
  positionAt(now: number): number {
    const position = this.coordinator.positionAt(now);
    if (this.paused) return position;
    const end = Coordinator.endOf(this.events.specs());
    const rate = this.playbackRate;
    if (end === null || !((rate > 0 && position >= end) || (rate < 0 && position <= 0))) return position;
    const held = rate > 0 ? end : 0;
    this.coordinator.pause(now);
    this.coordinator.seek(held, now);
    this.host.emit(new LottieSyncTimelineEvent('lottie-sync-complete', held, rate, true));
    return held;
  }

  /** Every player is ready: with autoplay, and nobody having controlled the timeline yet, it starts. */
  startIfAutoplay(): void {
    if (!this.autoplay || this.controlled) return;
    this.controlled = true;
    this.coordinator.play(this.host.timelineNow());
    this.host.requestDraw();
    this.host.emit(new LottieSyncTimelineEvent('lottie-sync-play', this.currentTime, this.playbackRate, false));
    this.onLocalChange?.();
  }

  private changed(type: TimelineEventType, local = true): void {
    this.events.changed();
    this.host.emit(new LottieSyncTimelineEvent(type, this.currentTime, this.playbackRate, this.paused));
    if (local) this.onLocalChange?.();
  }
}
