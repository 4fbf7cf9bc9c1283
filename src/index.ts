export { LottieSyncStage } from './stage/lottie-sync-stage.js';
export { LottieSyncPlayer, type PlayerState } from './player/lottie-sync-player.js';
export { LottieSyncGroup } from './group/lottie-sync-group.js';
export { type SyncMode, type GroupAlign, type GroupSettings } from './clock/sync-group.js';
export { type StageMetrics, type TierSource } from './metrics.js';
export { type Tier, parseTiers, formatTiers, DEFAULT_TIERS } from './clock/tiers.js';
export {
  LottieSyncReadyEvent,
  LottieSyncTimelineEvent,
  LottieSyncLoadEvent,
  LottieSyncLoopEvent,
  LottieSyncEndEvent,
  LottieSyncEvent,
  LottieSyncErrorEvent,
  LottieSyncTierEvent,
  LottieSyncQualityEvent,
  LottieSyncMetricsEvent,
  type TimelineEventType,
} from './events.js';
export { LottieSyncError, type LottieSyncErrorCode } from './errors.js';
export { AnimationCache, AnimationEntry, pageAnimationCache, DEFAULT_MAX_BYTES, type AnimationLease } from './data/animation-cache.js';
export { type LottieMeta, type LottieMarker } from './data/lottie-data.js';
export { frameAt, frameCount, specDuration, type PlaybackSpec, type PlayMode, type PlayDirection } from './clock/frame-map.js';
export { positionAt, type TimelineVector } from './clock/timeline.js';
export { VERSION } from './define-element.js';
