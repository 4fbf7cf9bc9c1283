import { css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { DEFAULT_GROUP, type GroupAlign, type SyncMode } from '../clock/sync-group.js';
import { describeElement } from '../define-element.js';
import { LottieSyncElement } from '../element/lottie-sync-element.js';
import { LottieSyncTimelineEvent, type TimelineEventType } from '../events.js';
import type { GroupRegistration } from '../registration/protocol.js';
import { RegisteringController } from '../registration/registering.js';
import { RegistrarController } from '../registration/registrar.js';
import { InvalidValue } from '../element/attribute-values.js';
import { PlayTriggerController } from '../element/play-trigger.js';
import { ReducedMotionController } from '../element/reduced-motion.js';
import { parsePlayOn, type PlayTrigger } from '../player/attributes.js';
import { GroupMembers } from './group-members.js';

const MODES: readonly SyncMode[] = ['realtime', 'batched', 'lazy'];
const ALIGNS: readonly GroupAlign[] = ['time', 'progress'];
let unnamed = 0;

/**
 * A group of players on a stage: a master (the player marked `master`, else
 * the first) and followers that follow it in the group's sync mode. Players
 * inside the element join it; players elsewhere on the stage join with
 * `group="name"`. The group plays, pauses and seeks with its stage, and can be
 * controlled on its own until the stage is next controlled.
 *
 * @tagname lottie-sync-group
 * @summary Master and followers with a sync mode.
 *
 * @slot - Players (and anything else).
 *
 * @fires {LottieSyncTimelineEvent} lottie-sync-play - The group was played on its own.
 * @fires {LottieSyncTimelineEvent} lottie-sync-pause - The group was paused on its own.
 * @fires {LottieSyncTimelineEvent} lottie-sync-seek - The group was seeked on its own.
 * @fires {LottieSyncErrorEvent} lottie-sync-error - An attribute had a bad value; the default is used.
 */
export class LottieSyncGroup extends LottieSyncElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** The group's name, for players outside the element (`group="name"`). */
  @property({ reflect: true }) name: string | null = null;

  /** `realtime`: followers draw on every tick; `batched`: on every `batch`-th tick; `lazy`: followers run free and are corrected when they drift. */
  @property() sync: SyncMode = 'realtime';

  /** With `sync="batched"`: followers draw on every this-many-th tick (1 or more). */
  @property({ type: Number }) batch: number = DEFAULT_GROUP.batch;

  /** With `sync="lazy"`: drift in frames that makes a follower correct itself: by nudging its rate, or by seeking when the drift is large. */
  @property({ type: Number, attribute: 'max-drift' }) maxDrift: number = DEFAULT_GROUP.maxDrift;

  /** What "in sync" means for files of different lengths: `time` (same timeline time) or `progress` (followers stretch to the master's loop). */
  @property() align: GroupAlign = 'time';

  /**
   * Play the group on a timeline of its own when: `hover` (pausing when the pointer leaves it),
   * `click` (a toggle), `visible` (any of its players in view, pausing out of it) or `visible-once`.
   */
  @property({ attribute: 'play-on', reflect: true, converter: { fromAttribute: parsePlayOn } }) playOn: PlayTrigger | null = null;

  private readonly fallbackName = `lottie-sync-group-${(unnamed += 1)}`;

  private readonly registering = new RegisteringController(this, {
    kind: 'group',
    ask: () => ({ name: this.groupName }),
    granted: (registration) => {
      this.startTrigger(registration);
      if (this.hasUpdated) this.sendSettings();
    },
  });

  /** The players inside: they register through the group, which names itself in what they play. */
  private readonly members = new GroupMembers(() => this.groupName);

  private readonly motion = new ReducedMotionController(this, () => {});

  constructor() {
    super();
    new RegistrarController(this, { player: (view) => this.members.pass(this, view) });
    new PlayTriggerController(this, {
      trigger: () => this.playOn,
      controls: () => this.registration?.controls ?? null,
      targets: () => [...this.querySelectorAll('*')].filter((element) => 'currentFrame' in element),
      motionAllowed: () => !this.motion.reduced,
    });
  }

  /** The name players join by: `name`, or a generated one. */
  private get groupName(): string {
    return this.name || this.fallbackName;
  }

  /** The stage this group is registered with; null outside any stage. */
  get stage(): HTMLElement | null {
    return this.registration?.stage ?? null;
  }

  private get registration(): GroupRegistration | null {
    return this.registering.grant;
  }

  /** A trigger puts the group on a timeline of its own, paused at the start until it fires. */
  private startTrigger(registration: GroupRegistration): void {
    const trigger = this.playOn as unknown;
    const has = trigger !== null && !(trigger instanceof InvalidValue);
    registration.keep?.(has);
    if (!has || !registration.controls) return;
    registration.controls.pause();
    registration.controls.seek(0);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('playOn') && (this.playOn as unknown) instanceof InvalidValue) {
      this.playOn = this.reject('play-on', '"hover", "click", "visible" or "visible-once"', null);
    }
    if (changed.has('playOn') && this.registration) this.startTrigger(this.registration);
    if (changed.has('sync') && !MODES.includes(this.sync)) this.sync = this.reject('sync', MODES.join(', '), DEFAULT_GROUP.mode);
    if (changed.has('align') && !ALIGNS.includes(this.align)) this.align = this.reject('align', ALIGNS.join(', '), DEFAULT_GROUP.align);
    if (changed.has('batch') && !(Number.isInteger(this.batch) && this.batch >= 1))
      this.batch = this.reject('batch', 'a whole number from 1', DEFAULT_GROUP.batch);
    if (changed.has('maxDrift') && !(this.maxDrift > 0))
      this.maxDrift = this.reject('max-drift', 'a number of frames above 0', DEFAULT_GROUP.maxDrift);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('name') && changed.get('name') !== undefined) {
      this.registering.relink();
      this.members.renamed();
    } else this.sendSettings();
  }

  private sendSettings(): void {
    this.registration?.update({ mode: this.sync, batch: this.batch, maxDrift: this.maxDrift, align: this.align });
  }

  private reject<T>(name: string, accepted: string, fallback: T): T {
    this.rejectAttribute(name, accepted, fallback);
    return fallback;
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  /** Plays this group on its own timeline. */
  play(): void {
    this.control('lottie-sync-play', (registration) => registration.controls.play());
  }

  /** Pauses this group only. */
  pause(): void {
    this.control('lottie-sync-pause', (registration) => registration.controls.pause());
  }

  /** Moves this group only to `seconds`. */
  seek(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError(`seek() takes a finite number of seconds, not ${seconds}.`);
    this.control('lottie-sync-seek', (registration) => registration.controls.seek(seconds));
  }

  /** True while the group's timeline stands still. */
  get paused(): boolean {
    return this.registration?.controls.paused ?? true;
  }

  /** The group's timeline position in seconds. */
  get currentTime(): number {
    return this.registration?.controls.currentTime ?? 0;
  }

  private control(type: TimelineEventType, action: (registration: GroupRegistration) => void): void {
    if (!this.registration) throw new Error(`${describeElement(this)} is not inside a <lottie-sync-stage>.`);
    action(this.registration);
    const event = new LottieSyncTimelineEvent(type, this.currentTime, 1, this.paused);
    this.dispatchEvent(event);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lottie-sync-group': LottieSyncGroup;
  }
}
