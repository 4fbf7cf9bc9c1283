import { css } from 'lit';
import { controlBarStyles } from '../element/control-bar.js';

/** The stage's styles: its box, the metrics overlay and the control bar. */
export const stageStyles = [
  css`
    :host {
      display: block;
    }
    :host([hidden]) {
      display: none;
    }
    :host([show-metrics]) {
      position: relative;
    }
    /* The stage surface (render="auto" or "surface") lies under the players, above the stage's own background. */
    :host(:not([render='workers']):not([render='main'])) {
      position: relative;
      isolation: isolate;
    }
    .surface-frame {
      position: absolute;
      inset: 0;
      overflow: hidden;
      z-index: -1;
      pointer-events: none;
    }
    [part='surface'] {
      position: absolute;
      display: block;
    }
    [part='surface'][hidden] {
      display: none;
    }
    [part='metrics'] {
      position: absolute;
      top: 4px;
      right: 4px;
      z-index: 1;
      margin: 0;
      padding: 0.4em 0.6em;
      border-radius: 4px;
      font:
        11px/1.35 ui-monospace,
        monospace;
      white-space: pre;
      color: #fff;
      background: rgb(0 0 0 / 0.75);
      pointer-events: none;
    }
  `,
  controlBarStyles,
];
