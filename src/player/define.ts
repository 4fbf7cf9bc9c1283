import { defineElement } from '../define-element.js';
import { LottieSyncPlayer } from './lottie-sync-player.js';

defineElement('lottie-sync-player', LottieSyncPlayer);
