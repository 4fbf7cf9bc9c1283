import { defineElement } from '../define-element.js';
import { TAG } from '../registration/protocol.js';
import { LottieSyncGroup } from './lottie-sync-group.js';

defineElement(TAG.group, LottieSyncGroup);
