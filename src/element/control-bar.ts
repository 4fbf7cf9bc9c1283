import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** What the control bar shows and does. */
export interface ControlTarget {
  readonly paused: boolean;
  /** Timeline seconds (they keep growing while looping). */
  readonly currentTime: number;
  /** Seconds of one pass (the scrubber's length); 0 before anything is loaded. */
  readonly duration: number;
  readonly loop: boolean;
  play(): void;
  pause(): void;
  seek(seconds: number): void;
  setLoop(loop: boolean): void;
  /** Why it may not be controlled here (a relay follower), or null. */
  readonly disabledReason: string | null;
  /** What the bar is for, for assistive technology ("Animation", the stage's or player's name). */
  readonly label: string;
}

/** The bar's time shows whole tenths of a second: it is redrawn four times a second while playing. */
const REFRESH_MS = 250;

function clock(seconds: number): string {
  const whole = Math.max(0, seconds);
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${(whole - minutes * 60).toFixed(1).padStart(4, '0')}`;
}

/** The bar's styles, for the host element's `styles`. */
export const controlBarStyles = css`
  [part~='controls'] {
    display: flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.35em 0.5em;
    font:
      12px/1.2 system-ui,
      sans-serif;
    color: var(--lottie-sync-controls-color, #18181b);
    background: var(--lottie-sync-controls-background, rgb(244 244 245 / 0.92));
  }
  [part~='controls'] button {
    min-width: 2.2em;
    min-height: 2.2em;
    border: 1px solid currentColor;
    border-radius: 4px;
    font: inherit;
    color: inherit;
    background: transparent;
    cursor: pointer;
  }
  [part~='controls'] button[aria-pressed='true'] {
    background: var(--lottie-sync-controls-accent, #2563eb);
    border-color: var(--lottie-sync-controls-accent, #2563eb);
    color: #fff;
  }
  [part~='controls'] :focus-visible {
    outline: 2px solid var(--lottie-sync-controls-accent, #2563eb);
    outline-offset: 2px;
  }
  [part~='controls'] input[type='range'] {
    flex: 1;
    min-width: 4em;
    accent-color: var(--lottie-sync-controls-accent, #2563eb);
  }
  [part~='controls'] :disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  [part='time'] {
    font-variant-numeric: tabular-nums;
  }
`;

/**
 * The control bar (`controls`): play/pause, a scrubber with the time, and a
 * loop toggle, all native controls (keyboard-operable as they are: Tab,
 * Space, Enter, the arrow keys on the scrubber), with CSS parts and custom
 * properties to style them. It gives every page the pause that WCAG 2.2.2
 * asks of moving content. While it shows and the timeline plays, its host
 * re-renders four times a second (no timer runs while it does not show).
 */
export class ControlBarController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => ControlTarget | null,
    private readonly shown: () => boolean,
  ) {
    host.addController(this);
  }

  /** The refresh runs only while the bar shows: a page of players without controls runs no timers. */
  hostUpdated(): void {
    if (!this.shown()) return this.stop();
    this.timer ??= setInterval(() => {
      const target = this.target();
      if (!this.shown()) this.stop();
      else if (target && !target.paused) this.host.requestUpdate();
    }, REFRESH_MS);
  }

  hostDisconnected(): void {
    this.stop();
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The bar, or nothing when it is not shown. */
  render(): TemplateResult | typeof nothing {
    const target = this.target();
    if (!this.shown() || !target) return nothing;
    const { paused, duration, loop, disabledReason, label } = target;
    const disabled = disabledReason !== null;
    const time = duration > 0 ? (loop ? target.currentTime % duration : Math.min(target.currentTime, duration)) : 0;
    const update = () => this.host.requestUpdate();
    return html`<div part="controls" role="group" aria-label=${`${label}: playback`} title=${disabledReason ?? nothing}>
      <button
        part="control play-button"
        type="button"
        aria-label=${paused ? 'Play' : 'Pause'}
        ?disabled=${disabled}
        @click=${() => {
          if (paused) target.play();
          else target.pause();
          update();
        }}
      >
        ${paused ? '▶' : '❚❚'}
      </button>
      <input
        part="control scrubber"
        type="range"
        min="0"
        max=${duration}
        step="0.01"
        .value=${String(time)}
        aria-label="Position"
        aria-valuetext=${`${clock(time)} of ${clock(duration)}`}
        ?disabled=${disabled || duration === 0}
        @input=${(event: Event) => {
          target.seek(Number((event.target as HTMLInputElement).value));
          update();
        }}
      />
      <span part="time" aria-hidden="true">${clock(time)} / ${clock(duration)}</span>
      <button
        part="control loop-button"
        type="button"
        aria-label="Loop"
        aria-pressed=${loop ? 'true' : 'false'}
        ?disabled=${disabled}
        @click=${() => {
          target.setLoop(!loop);
          update();
        }}
      >
        ⟲
      </button>
      ${disabled ? html`<span part="controls-note" class="reason">${disabledReason}</span>` : nothing}
    </div>`;
  }
}
