import type { LottieSyncErrorCode } from './errors.js';
import type { StageMetrics, TierSource } from './metrics.js';

/**
 * The base of every `lottie-sync-*` event: a CustomEvent that bubbles and is
 * composed, with its fields in `detail` (for no-build tools that read
 * `$event.detail`: Alpine.js, htmx, Vue's `@event`) and on the event itself
 * (typed, for code).
 */
export class LottieSyncEvent<D extends object> extends CustomEvent<D> {
  constructor(type: string, detail: D) {
    super(type, { bubbles: true, composed: true, detail });
    Object.assign(this, detail);
  }
}

/** The base, typed with its detail's fields on the event. */
const WithFields = LottieSyncEvent as new <D extends object>(type: string, detail: D) => LottieSyncEvent<D> & Readonly<D>;

export interface ReadyDetail {
  /** Players that drew their first frame. */
  readonly loaded: number;
  /** Players that failed. */
  readonly failed: number;
}

/** Fired by a stage when every registered player has loaded or failed. */
export class LottieSyncReadyEvent extends WithFields<ReadyDetail> {
  static readonly type = 'lottie-sync-ready';
  constructor(loaded: number, failed: number) {
    super(LottieSyncReadyEvent.type, { loaded, failed });
  }
}

export type TimelineEventType =
  'lottie-sync-play' | 'lottie-sync-pause' | 'lottie-sync-seek' | 'lottie-sync-ratechange' | 'lottie-sync-complete';

export interface TimelineDetail {
  /** Timeline position in seconds. */
  readonly currentTime: number;
  readonly playbackRate: number;
  readonly paused: boolean;
}

/** Fired by a stage when its timeline changes: play, pause, seek, rate change, or the end without loop. */
export class LottieSyncTimelineEvent extends WithFields<TimelineDetail> {
  constructor(type: TimelineEventType, currentTime: number, playbackRate: number, paused: boolean) {
    super(type, { currentTime, playbackRate, paused });
  }
}

export interface LoadDetail {
  readonly src: string;
  readonly frame: number;
  readonly totalFrames: number;
}

/** Fired by a player when it has drawn its first frame. */
export class LottieSyncLoadEvent extends WithFields<LoadDetail> {
  static readonly type = 'lottie-sync-load';
  constructor(src: string, frame: number, totalFrames: number) {
    super(LottieSyncLoadEvent.type, { src, frame, totalFrames });
  }
}

export interface PassDetail {
  readonly src: string;
  /** Passes finished so far. */
  readonly passes: number;
}

/** Fired by a player each time it finishes a pass and loops again (never per frame). */
export class LottieSyncLoopEvent extends WithFields<PassDetail> {
  static readonly type = 'lottie-sync-loop';
  constructor(src: string, passes: number) {
    super(LottieSyncLoopEvent.type, { src, passes });
  }
}

/** Fired by a player when it finishes its last pass (`loop="3"`, or without loop) and holds its final frame. */
export class LottieSyncEndEvent extends WithFields<PassDetail> {
  static readonly type = 'lottie-sync-end';
  constructor(src: string, passes: number) {
    super(LottieSyncEndEvent.type, { src, passes });
  }
}

export interface ErrorDetail {
  readonly code: LottieSyncErrorCode;
  readonly message: string;
  readonly src: string | null;
  /** The fallback shows (the others are recoverable). */
  readonly fatal: boolean;
  /** HTTP status for `http-error`. */
  readonly status?: number;
}

/** Fired by a player (or a stage) when something went wrong; `fatal` errors leave the fallback showing. */
export class LottieSyncErrorEvent extends WithFields<ErrorDetail> {
  static readonly type = 'lottie-sync-error';
  constructor(code: LottieSyncErrorCode, message: string, src: string | null, fatal: boolean, status?: number) {
    super(LottieSyncErrorEvent.type, status === undefined ? { code, message, src, fatal } : { code, message, src, fatal, status });
  }
}

export interface TierDetail {
  /** Draws per second now. */
  readonly fps: number;
  readonly source: TierSource;
  readonly previousFps: number;
}

/** Fired by a stage when its draw rate changes (player count crossed a tier, an override, or the adaptive mode). */
export class LottieSyncTierEvent extends WithFields<TierDetail> {
  static readonly type = 'lottie-sync-tierchange';
  constructor(fps: number, source: TierSource, previousFps: number) {
    super(LottieSyncTierEvent.type, { fps, source, previousFps });
  }
}

export interface QualityDetail {
  readonly pixelRatio: number;
  readonly previousPixelRatio: number;
}

/** Fired by a stage when the adaptive mode changes the pixel ratio canvases are drawn at. */
export class LottieSyncQualityEvent extends WithFields<QualityDetail> {
  static readonly type = 'lottie-sync-qualitychange';
  constructor(pixelRatio: number, previousPixelRatio: number) {
    super(LottieSyncQualityEvent.type, { pixelRatio, previousPixelRatio });
  }
}

/** Fired by a stage about once a second with its metrics. */
export class LottieSyncMetricsEvent extends WithFields<{ readonly metrics: StageMetrics }> {
  static readonly type = 'lottie-sync-metrics';
  constructor(metrics: StageMetrics) {
    super(LottieSyncMetricsEvent.type, { metrics });
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
    'lottie-sync-loop': LottieSyncLoopEvent;
    'lottie-sync-end': LottieSyncEndEvent;
    'lottie-sync-error': LottieSyncErrorEvent;
    'lottie-sync-tierchange': LottieSyncTierEvent;
    'lottie-sync-metrics': LottieSyncMetricsEvent;
    'lottie-sync-qualitychange': LottieSyncQualityEvent;
  }
}
