import { defineElement } from '../define-element.js';
import { TAG } from '../registration/protocol.js';
import { LottieSyncPlayer } from './lottie-sync-player.js';

defineElement(TAG.player, LottieSyncPlayer);
