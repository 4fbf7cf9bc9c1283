import { css } from 'lit';
import { controlBarStyles } from '../element/control-bar.js';

/** The player's styles: its box, the canvas, the fallback, and (alone, with `controls`) its control bar. */
export const playerStyles = [
  css`
    :host {
      display: inline-block;
      position: relative;
      width: var(--lottie-sync-player-width, 160px);
      height: var(--lottie-sync-player-height, 160px);
      contain: layout paint;
      vertical-align: top;
    }
    :host([hidden]) {
      display: none;
    }
    .surface,
    [part='fallback'] {
      position: absolute;
      inset: 0;
    }
    canvas {
      display: block;
      width: 100%;
      height: 100%;
    }
    [part='fallback'] {
      display: flex;
      align-items: center;
      justify-content: center;
      padding: 0.5em;
      box-sizing: border-box;
      overflow: hidden;
      font:
        12px/1.3 system-ui,
        sans-serif;
      text-align: center;
      background: var(--lottie-sync-fallback-background, #f4f4f5);
      color: var(--lottie-sync-fallback-color, #52525b);
      border: 1px dashed currentColor;
    }
    :host([play-on='click']) {
      cursor: pointer;
    }
    :host([controls]) [part~='controls'] {
      position: absolute;
      left: 0;
      right: 0;
      bottom: 0;
    }
  `,
  controlBarStyles,
];
