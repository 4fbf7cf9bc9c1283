import { defineElement } from '../define-element.js';
import { TAG } from '../registration/protocol.js';
import { LottieSyncStage } from './lottie-sync-stage.js';

defineElement(TAG.stage, LottieSyncStage);
