import type { LottieSyncErrorCode } from './errors.js';
import type { StageMetrics, TierSource } from './metrics.js';

const init: EventInit = { bubbles: true, composed: true };

/** Fired by a stage when every registered player has loaded or failed. */
export class LottieSyncReadyEvent extends Event {
  static readonly type = 'lottie-sync-ready';
  constructor(
    /** Players that drew their first frame. */
    readonly loaded: number,
    /** Players that failed. */
    readonly failed: number,
  ) {
    super(LottieSyncReadyEvent.type, init);
  }
}

export type TimelineEventType =
  'lottie-sync-play' | 'lottie-sync-pause' | 'lottie-sync-seek' | 'lottie-sync-ratechange' | 'lottie-sync-complete';

/** Fired by a stage when its timeline changes: play, pause, seek, rate change, or the end without loop. */
export class LottieSyncTimelineEvent extends Event {
  constructor(
    type: TimelineEventType,
    /** Timeline position in seconds. */
    readonly currentTime: number,
    readonly playbackRate: number,
    readonly paused: boolean,
  ) {
    super(type, init);
  }
}

/** Fired by a player when it has drawn its first frame. */
export class LottieSyncLoadEvent extends Event {
  static readonly type = 'lottie-sync-load';
  constructor(
    readonly src: string,
    readonly frame: number,
    readonly totalFrames: number,
  ) {
    super(LottieSyncLoadEvent.type, init);
  }
}

/** Fired by a player (or a stage) when something went wrong; `fatal` errors leave the fallback showing. */
export class LottieSyncErrorEvent extends Event {
  static readonly type = 'lottie-sync-error';
  constructor(
    readonly code: LottieSyncErrorCode,
    readonly message: string,
    readonly src: string | null,
    readonly fatal: boolean,
    /** HTTP status for `http-error`. */
    readonly status?: number,
  ) {
    super(LottieSyncErrorEvent.type, init);
  }
}

/** Fired by a stage when its draw rate changes (player count crossed a tier, an override, or the adaptive mode). */
export class LottieSyncTierEvent extends Event {
  static readonly type = 'lottie-sync-tierchange';
  constructor(
    /** Draws per second now. */
    readonly fps: number,
    readonly source: TierSource,
    readonly previousFps: number,
  ) {
    super(LottieSyncTierEvent.type, init);
  }
}

/** Fired by a stage when the adaptive mode changes the pixel ratio canvases are drawn at. */
export class LottieSyncQualityEvent extends Event {
  static readonly type = 'lottie-sync-qualitychange';
  constructor(
    readonly pixelRatio: number,
    readonly previousPixelRatio: number,
  ) {
    super(LottieSyncQualityEvent.type, init);
  }
}

/** Fired by a stage about once a second with its metrics. */
export class LottieSyncMetricsEvent extends Event {
  static readonly type = 'lottie-sync-metrics';
  constructor(readonly metrics: StageMetrics) {
    super(LottieSyncMetricsEvent.type, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lottie-sync-ready': LottieSyncReadyEvent;
    'lottie-sync-play': LottieSyncTimelineEvent;
    'lottie-sync-pause': LottieSyncTimelineEvent;
    'lottie-sync-seek': LottieSyncTimelineEvent;
    'lottie-sync-ratechange': LottieSyncTimelineEvent;
    'lottie-sync-complete': LottieSyncTimelineEvent;
    'lottie-sync-load': LottieSyncLoadEvent;
    'lottie-sync-error': LottieSyncErrorEvent;
    'lottie-sync-tierchange': LottieSyncTierEvent;
    'lottie-sync-metrics': LottieSyncMetricsEvent;
    'lottie-sync-qualitychange': LottieSyncQualityEvent;
  }
}
