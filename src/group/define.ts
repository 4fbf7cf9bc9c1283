import { defineElement } from '../define-element.js';
import { LottieSyncGroup } from './lottie-sync-group.js';

defineElement('lottie-sync-group', LottieSyncGroup);
