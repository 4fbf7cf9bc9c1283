/**
 * The sync wire messages and their validation, defined once for every
 * transport (BroadcastChannel and the relay, both ways), so the two ends
 * cannot drift apart. What travels is a timeline vector with the stamp of the
 * change that made it, never a frame.
 */
import { isStamp, ORIGIN, type Stamp } from './stamp.js';

/** 2: states carry a stamp (`[ms, counter, origin]`) and a per-sender `seq` instead of a relay version. */
export const PROTOCOL_VERSION = 2;
/** Largest message accepted, in characters of JSON. */
export const MAX_MESSAGE_CHARS = 4096;

/** A timeline vector on the shared epoch clock (`timestamp` in ms since 1970, as `Date.now()`). */
export interface WireVector {
  readonly position: number;
  readonly velocity: number;
  readonly timestamp: number;
}

/**
 * The room's timeline: where it is, how fast it plays, whether it plays. The
 * newest `stamp` wins (see stamp.ts): the sender stamps its change when it
 * makes it (on the room's shared clock), and a relay keeps that stamp, only
 * capping it at its own clock plus `STAMP_LEAD_MS` and setting the origin to
 * the sender it knows. `seq` counts the sender's changes, so it can tell the
 * echo of its latest change from older ones. The stamp is not the vector's
 * `timestamp`: a change may take effect at another moment than it is made.
 */
export interface StateMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'state';
  readonly sender: string;
  readonly seq: number;
  readonly stamp: Stamp;
  readonly vector: WireVector;
  readonly rate: number;
  readonly playing: boolean;
}

/** A newcomer asks for the current state. */
export interface HelloMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'hello';
  readonly sender: string;
}

/** A client enters a relay room, as a leader (may control; needs the room's token when the relay has tokens) or a follower. */
export interface JoinMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'join';
  readonly sender: string;
  readonly room: string;
  readonly role: 'leader' | 'follower';
  readonly token?: string;
}

/** Clock sync, NTP style: the client's send time `t0`; the relay answers with its time `t1`. */
export interface PingMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'ping';
  readonly sender: string;
  readonly id: number;
  readonly t0: number;
  /**
   * How long the relay's messages take to reach this client (ms, a high
   * percentile of its recent pongs' one-way trips), once it has measured it:
   * the relay tells the room's leaders the largest, so that a change is
   * scheduled late enough for every member to hear of it in time.
   */
  readonly delayMs?: number;
}

/**
 * What a stage says of itself, when its page opts in (`sync-report`), for the
 * relay's per-room metrics. Any joined client may report, followers too (they
 * are most of a room's stages); each connection counts once (a report replaces
 * its last), and only figures within `REPORT_BOUNDS` are accepted.
 */
export interface ReportMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'report';
  readonly sender: string;
  readonly players: number;
  readonly ticksPerSecond: number;
  readonly spread: number;
  readonly clockOffsetMs: number;
}

export type SyncMessage = StateMessage | HelloMessage | JoinMessage | PingMessage | ReportMessage;

/** What a relay allows each connection, told in the welcome so a client can pace itself. */
export interface RelayLimits {
  /** Control messages (join, state, report, hello) a second; bursts of twice this. */
  readonly controlPerSecond: number;
  /** Clock pings a second, counted apart; bursts of twice this. */
  readonly pingsPerSecond: number;
}

/** The relay's answer to a join: the room's newest state (null: none yet), its clock, and its limits. */
export interface WelcomeMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'welcome';
  readonly room: string;
  readonly role: 'leader' | 'follower';
  readonly state: StateMessage | null;
  readonly serverTime: number;
  readonly limits: RelayLimits;
}

/** A refused message; `seq` names the refused state when it was one. */
export interface ErrorMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'error';
  readonly code: RelayErrorCode;
  readonly message: string;
  readonly seq?: number;
}

/** What a relay sends: the room on joining, states, pongs, errors, and a goodbye before it shuts down. */
export type RelayMessage =
  | WelcomeMessage
  | { readonly v: typeof PROTOCOL_VERSION; readonly type: 'pong'; readonly id: number; readonly t0: number; readonly t1: number }
  | ErrorMessage
  | { readonly v: typeof PROTOCOL_VERSION; readonly type: 'bye'; readonly reason: string }
  | RoomDelayMessage
  | StateMessage;

/** To a room's leaders: the largest one-way delay (ms) from a relay to any member of the room, as they measured it. */
export interface RoomDelayMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'room';
  readonly delayMs: number;
}

/** Delays beyond this are not a room in step: a figure above it is refused (a minute; leads are bounded far below). */
export const MAX_DELAY_MS = 60_000;

/** A one-way delay figure as it may travel (from a client, a relay, or Redis): finite, 0 to MAX_DELAY_MS. */
export function isDelay(value: unknown): value is number {
  return finite(value) && value >= 0 && value <= MAX_DELAY_MS;
}

/** How far ahead of its own clock (and of the room's newest stamp) a relay lets a change's stamp be, in ms. */
export const STAMP_LEAD_MS = 1000;

/** Why the relay refused a message: one code per failure. */
export type RelayErrorCode =
  /** The frame is not JSON text. */
  | 'not-json'
  /** The frame is binary; the protocol is JSON text. */
  | 'binary-frame'
  /** The message is longer than `MAX_MESSAGE_CHARS`. */
  | 'too-large'
  /** The message is JSON but not an object. */
  | 'not-an-object'
  /** The message has no known protocol version (`v`). */
  | 'unsupported-version'
  /** The message's `type` is none of the protocol's. */
  | 'unknown-type'
  /** A field of a known message is missing or malformed. */
  | 'bad-message'
  /** A stage's report has a figure that is not a number or out of `REPORT_BOUNDS`. */
  | 'bad-report'
  /** More control messages (join, state, report, hello) than the relay's `--max-rate` allows. */
  | 'rate-limited'
  /** More clock pings than the relay's `--max-ping-rate` allows (counted apart from control messages). */
  | 'ping-rate-limited'
  /** The connection's error budget is spent: further errors are not answered, and more close it (1008). */
  | 'too-many-errors'
  /** A control message other than join before joining a room. */
  | 'not-joined'
  /** A follower controlling, or a leader without a valid token. */
  | 'forbidden'
  /** The room has `--max-room-size` clients already. */
  | 'room-full'
  /** A state older than the room's newest (`seq` names it): the room keeps the newer one, which the client has or is sent. */
  | 'superseded';

/** A message refused by validation: the code the relay answers with, and a reason for people. */
export class Rejection {
  constructor(
    readonly code: RelayErrorCode,
    readonly reason: string,
  ) {}
}

/** A short, safe description of any value for an error message: never calls the value's own methods. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 32 ? `${value.slice(0, 32)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return `${value}`;
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

const ROOM_NAME = /^[\w.:-]{1,128}$/;

/**
 * What a stage's report may say ([lowest, highest] of each figure): finite,
 * not negative (an offset may be), and no more than a real stage could see,
 * so that a client cannot set a room's aggregates to anything.
 */
export const REPORT_BOUNDS = {
  players: [0, 100_000],
  /** A stage ticks at most once per display frame: 1000 leaves room for any screen. */
  ticksPerSecond: [0, 1000],
  /** Frames between the players of one file: bounded by an hour-long animation at 240 fps. */
  spread: [0, 864_000],
  /** A day either way: a clock further off is broken, not skewed. */
  clockOffsetMs: [-86_400_000, 86_400_000],
} as const satisfies Record<string, readonly [number, number]>;

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Checks a received message (any JSON value, or JSON text); returns it typed,
 * or a Rejection. Never throws: every field is type-checked before it is read
 * as a string or a number.
 */
export function validateMessage(raw: unknown): SyncMessage | Rejection {
  const result = check(raw);
  return typeof result === 'string' ? new Rejection('bad-message', result) : result;
}

function check(raw: unknown): SyncMessage | Rejection | string {
  let data = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_MESSAGE_CHARS)
      return new Rejection('too-large', `message of ${raw.length} characters is over the limit of ${MAX_MESSAGE_CHARS}`);
    try {
      data = JSON.parse(raw);
    } catch {
      return new Rejection('not-json', 'message is not JSON');
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return new Rejection('not-an-object', 'message is not an object');
  const message = data as Record<string, unknown>;
  if (message.v !== PROTOCOL_VERSION)
    return new Rejection('unsupported-version', `unknown protocol version ${describe(message.v)} (this end speaks ${PROTOCOL_VERSION})`);
  if (typeof message.sender !== 'string' || !ORIGIN.test(message.sender)) return 'sender must be 1-64 letters, digits, or _ . : -';
  if (message.type === 'hello') return { v: PROTOCOL_VERSION, type: 'hello', sender: message.sender };
  if (message.type === 'join') {
    if (typeof message.room !== 'string' || !ROOM_NAME.test(message.room)) return 'bad room name';
    if (message.role !== 'leader' && message.role !== 'follower') return 'role must be leader or follower';
    if (message.token !== undefined && (typeof message.token !== 'string' || message.token.length > 256)) return 'bad token';
    return {
      v: PROTOCOL_VERSION,
      type: 'join',
      sender: message.sender,
      room: message.room,
      role: message.role,
      ...(message.token !== undefined ? { token: message.token } : {}),
    };
  }
  if (message.type === 'report') {
    const { players, ticksPerSecond, spread, clockOffsetMs } = message;
    const bounds = REPORT_BOUNDS;
    const within = (value: unknown, [low, high]: readonly [number, number]) => finite(value) && value >= low && value <= high;
    if (!Number.isInteger(players) || !within(players, bounds.players))
      return new Rejection('bad-report', 'players must be a whole number within bounds');
    if (!within(ticksPerSecond, bounds.ticksPerSecond)) return new Rejection('bad-report', 'ticksPerSecond out of bounds');
    if (!within(spread, bounds.spread)) return new Rejection('bad-report', 'spread out of bounds');
    if (!within(clockOffsetMs, bounds.clockOffsetMs)) return new Rejection('bad-report', 'clockOffsetMs out of bounds');
    return {
      v: PROTOCOL_VERSION,
      type: 'report',
      sender: message.sender,
      players: players as number,
      ticksPerSecond: ticksPerSecond as number,
      spread: spread as number,
      clockOffsetMs: clockOffsetMs as number,
    };
  }
  if (message.type === 'ping') {
    if (!finite(message.id) || !finite(message.t0)) return 'bad ping';
    if (message.delayMs !== undefined && !isDelay(message.delayMs)) return 'bad ping delay';
    return {
      v: PROTOCOL_VERSION,
      type: 'ping',
      sender: message.sender,
      id: message.id,
      t0: message.t0,
      ...(message.delayMs !== undefined ? { delayMs: message.delayMs } : {}),
    };
  }
  if (message.type !== 'state') return new Rejection('unknown-type', `unknown message type ${describe(message.type)}`);
  return checkState(message);
}

function checkState(message: Record<string, unknown>): StateMessage | string {
  const vector = message.vector as Record<string, unknown> | null;
  if (typeof vector !== 'object' || !vector || !finite(vector.position) || !finite(vector.velocity) || !finite(vector.timestamp))
    return 'bad vector';
  if (!isStamp(message.stamp)) return 'bad stamp: [ms, counter, origin] as whole numbers and a sender id';
  if (!Number.isSafeInteger(message.seq) || (message.seq as number) < 0) return 'bad seq';
  if (!finite(message.rate) || typeof message.playing !== 'boolean') return 'bad rate or playing';
  return {
    v: PROTOCOL_VERSION,
    type: 'state',
    sender: message.sender as string,
    seq: message.seq as number,
    stamp: [...message.stamp],
    vector: { position: vector.position, velocity: vector.velocity, timestamp: vector.timestamp },
    rate: message.rate,
    playing: message.playing,
  };
}

/** Checks a state from anywhere (a peer, a relay, Redis): returns it typed, or null. */
export function validateState(raw: unknown): StateMessage | null {
  const message = validateMessage(raw);
  return message instanceof Rejection || message.type !== 'state' ? null : message;
}

/** Checks a message from a relay (any JSON text); returns it typed, or a Rejection. A client trusts nothing it has not checked either. */
export function validateRelayMessage(raw: string): RelayMessage | Rejection {
  if (raw.length > MAX_MESSAGE_CHARS * 2) return new Rejection('too-large', 'relay message over the limit');
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return new Rejection('not-json', 'relay message is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return new Rejection('not-an-object', 'relay message is not an object');
  const message = data as Record<string, unknown>;
  if (message.v !== PROTOCOL_VERSION) return new Rejection('unsupported-version', `relay speaks protocol ${describe(message.v)}`);
  const bad = (what: string) => new Rejection('bad-message', `bad ${what} from the relay`);
  switch (message.type) {
    case 'state':
      return validateState(message) ?? bad('state');
    case 'welcome': {
      const state = message.state === null ? null : validateState(message.state);
      const limits = message.limits as Record<string, unknown> | null;
      if (message.state !== null && !state) return bad('welcome state');
      if (typeof message.room !== 'string' || (message.role !== 'leader' && message.role !== 'follower') || !finite(message.serverTime))
        return bad('welcome');
      if (typeof limits !== 'object' || !limits || !(finite(limits.controlPerSecond) && limits.controlPerSecond > 0))
        return bad('welcome limits');
      if (!(finite(limits.pingsPerSecond) && limits.pingsPerSecond > 0)) return bad('welcome limits');
      const { controlPerSecond, pingsPerSecond } = limits;
      return {
        v: PROTOCOL_VERSION,
        type: 'welcome',
        room: message.room,
        role: message.role,
        state,
        serverTime: message.serverTime,
        limits: { controlPerSecond, pingsPerSecond },
      };
    }
    case 'pong':
      if (!finite(message.id) || !finite(message.t0) || !finite(message.t1)) return bad('pong');
      return { v: PROTOCOL_VERSION, type: 'pong', id: message.id, t0: message.t0, t1: message.t1 };
    case 'error':
      if (typeof message.code !== 'string' || typeof message.message !== 'string') return bad('error');
      if (message.seq !== undefined && !Number.isSafeInteger(message.seq)) return bad('error');
      return {
        v: PROTOCOL_VERSION,
        type: 'error',
        code: message.code as RelayErrorCode,
        message: message.message.slice(0, 500),
        ...(message.seq !== undefined ? { seq: message.seq as number } : {}),
      };
    case 'room':
      if (!isDelay(message.delayMs)) return bad('room delay');
      return { v: PROTOCOL_VERSION, type: 'room', delayMs: message.delayMs };
    case 'bye':
      return { v: PROTOCOL_VERSION, type: 'bye', reason: typeof message.reason === 'string' ? message.reason.slice(0, 200) : '' };
    default:
      return new Rejection('unknown-type', `unknown relay message type ${describe(message.type)}`);
  }
}
