import { Coordinator } from '../../clock/coordinator.js';
import { specDuration } from '../../clock/frame-map.js';
import { DEFAULT_GROUP, LAZY_MAX_STEP_SECONDS, SyncGroup, stepLazy, type GroupSettings } from '../../clock/sync-group.js';
import type { GroupRegistration, OwnControls } from '../../registration/protocol.js';
import type { StageHost } from './stage-host.js';
import type { StagePlayer } from './stage-player.js';

/**
 * The timelines other than the stage's: the groups (which players are in
 * which, each group's master, settings and own clock once controlled on its
 * own) and players controlled on their own (`player.play()`, a `play-on`
 * trigger); and each player's timeline position on a tick.
 */
export class Timelines {
  private readonly groups = new Map<string, SyncGroup<StagePlayer>>();
  /** Groups that a group element configures (others exist only through players' `group` attributes), with how many. */
  private readonly elements = new Map<string, number>();
  /** Masters of this tick, looked up once per group. */
  private masters = new Map<SyncGroup<StagePlayer>, StagePlayer | undefined>();

  constructor(
    private readonly host: StageHost,
    /** The stage's timeline. */
    private readonly stageClock: Coordinator,
    /** The draw rate in force (lazy followers may step two intervals at once). */
    private readonly tierFps: () => number,
  ) {}

  /** Puts `player` in the group named `name` (null: in none). */
  join(player: StagePlayer, name: string | null): void {
    const { timing } = player;
    const previous = timing.group;
    if (previous) {
      previous.members.delete(player);
      this.dropIfUnused(previous);
    }
    timing.group = name === null ? null : this.named(name);
    timing.group?.members.add(player);
    timing.lazy = null;
    player.surface.invalidate();
  }

  /** The stage was controlled: groups and players controlled on their own rejoin its timeline (those with a trigger keep theirs). */
  rejoinStage(players: Iterable<StagePlayer>): void {
    for (const group of this.groups.values()) {
      if (group.keepsClock) continue;
      group.clock = null;
      group.resync = true;
    }
    for (const player of players) if (!player.timing.keepsClock) player.timing.clock = null;
  }

  /** Links a `<lottie-sync-group>` element: its settings and its own controls. */
  register(name: string, stage: HTMLElement): GroupRegistration {
    this.elements.set(name, (this.elements.get(name) ?? 0) + 1);
    const group = this.named(name);
    const host = this.host;
    let released = false;
    const controls = this.ownControls(
      () => group.clock ?? this.stageClock,
      (now) => group.ownClock(this.stageClock, now),
      () => {
        group.resync = true;
        for (const member of group.members) member.surface.invalidate();
      },
    );
    return {
      stage,
      update: (settings: GroupSettings) => {
        group.settings = settings;
        group.resync = true;
        host.requestDraw();
      },
      controls,
      keep: (permanent: boolean) => {
        group.keepsClock = permanent;
      },
      release: () => {
        if (released) return;
        released = true;
        const count = (this.elements.get(name) ?? 1) - 1;
        if (count > 0) this.elements.set(name, count);
        else {
          this.elements.delete(name);
          group.settings = DEFAULT_GROUP;
          group.clock = null;
          group.keepsClock = false;
          this.dropIfUnused(group);
        }
      },
    };
  }

  /**
   * Controls for `player` alone. Its first use gives the player a timeline of its
   * own, starting from where it is now; `permanent` (a trigger) keeps it when the
   * stage is controlled.
   */
  controlsOf(player: StagePlayer): OwnControls {
    const { timing } = player;
    return this.ownControls(
      () => timing.clock ?? timing.group?.clock ?? this.stageClock,
      (now) => {
        if (!timing.clock) {
          timing.clock = new Coordinator(now);
          timing.clock.copyFrom(timing.group?.clock ?? this.stageClock, now);
        }
        return timing.clock;
      },
      () => player.surface.invalidate(),
    );
  }

  /** A player's `play-on` trigger keeps its own timeline when the stage is controlled. */
  keepClock(player: StagePlayer, permanent: boolean): void {
    player.timing.keepsClock = permanent;
  }

  /** Play, pause and seek on a timeline of its own (`own` makes it on first use), as of `current`. */
  private ownControls(current: () => Coordinator, own: (now: number) => Coordinator, changed: () => void): OwnControls {
    const host = this.host;
    const control = (action: (clock: Coordinator, now: number) => void) => {
      const now = host.timelineNow();
      action(own(now), now);
      changed();
      host.requestDraw();
    };
    return {
      play: () => control((clock, now) => clock.play(now)),
      pause: () => control((clock, now) => clock.pause(now)),
      seek: (seconds) => control((clock, now) => clock.seek(seconds, now)),
      get paused() {
        return current().paused;
      },
      get currentTime() {
        return current().positionAt(host.timelineNow());
      },
    };
  }

  /** Whether some group or player plays on a timeline of its own (the stage must tick for it even while paused). */
  anyPlaying(players: Iterable<StagePlayer>): boolean {
    for (const group of this.groups.values()) if (group.clock && !group.clock.paused) return true;
    for (const player of players) if (player.timing.clock && !player.timing.clock.paused) return true;
    return false;
  }

  /** A tick starts: masters are looked up afresh. */
  beginTick(): void {
    this.masters = new Map();
  }

  /** A tick was drawn: batched groups count it, lazy followers have taken the group's position. */
  endTick(): void {
    for (const group of this.groups.values()) {
      group.ticks += 1;
      group.resync = false;
    }
  }

  /**
   * A player's timeline position this tick: its group's clock (or the stage's),
   * scaled to the master's loop with `align="progress"`, and for followers the
   * group's sync mode: batched followers skip ticks, lazy followers run on
   * their own position and are corrected when they drift. Null: skip this tick.
   */
  positionOf(player: StagePlayer, stagePosition: number, now: number): number | null {
    const { group, clock } = player.timing;
    const spec = player.load.spec;
    if (clock) return clock.positionAt(now);
    if (!group) return stagePosition;
    const position = group.clock ? group.clock.positionAt(now) : stagePosition;
    if (!this.masters.has(group)) this.masters.set(group, masterOf(group));
    const master = this.masters.get(group);
    if (player === master || !spec) return position;
    const { settings } = group;
    const masterSpec = master?.load.spec;
    const aligned = settings.align === 'progress' && masterSpec ? (position * specDuration(spec)) / specDuration(masterSpec) : position;
    if (settings.mode === 'batched') return group.ticks % settings.batch === 0 || player.surface.shownFrame < 0 ? aligned : null;
    if (settings.mode === 'lazy') {
      const { timing } = player;
      if (!timing.lazy || group.resync) timing.lazy = { position: aligned, rate: 1, at: now };
      const velocity = (group.clock ?? this.stageClock).timeline.velocity;
      const maxStep = Math.max(LAZY_MAX_STEP_SECONDS, 2 / this.tierFps());
      return stepLazy(timing.lazy, aligned, velocity, now, spec.frameRate, settings.maxDrift, maxStep);
    }
    return aligned;
  }

  private named(name: string): SyncGroup<StagePlayer> {
    let group = this.groups.get(name);
    if (!group) this.groups.set(name, (group = new SyncGroup<StagePlayer>(name)));
    return group;
  }

  private dropIfUnused(group: SyncGroup<StagePlayer>): void {
    if (group.members.size === 0 && !this.elements.has(group.name)) this.groups.delete(group.name);
  }
}

/** The group's master: the player marked `master`, else the first to join (loaded ones only). */
function masterOf(group: SyncGroup<StagePlayer>): StagePlayer | undefined {
  let first: StagePlayer | undefined;
  for (const member of group.members) {
    if (!member.load.spec) continue;
    if (member.config.master) return member;
    first ??= member;
  }
  return first;
}
