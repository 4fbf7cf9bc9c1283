import { defineElement } from '../define-element.js';
import { LottieSyncStage } from './lottie-sync-stage.js';

defineElement('lottie-sync-stage', LottieSyncStage);
