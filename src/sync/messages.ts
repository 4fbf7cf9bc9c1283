/**
 * The sync wire messages and their validation, defined once for every
 * transport (BroadcastChannel now, the relay later), so the two ends cannot
 * drift apart. What travels is a timeline vector with a version, never a frame.
 */

export const PROTOCOL_VERSION = 1;
/** Largest message accepted, in characters of JSON. */
export const MAX_MESSAGE_CHARS = 4096;

/** A timeline vector on the shared epoch clock (`timestamp` in ms since 1970, as `Date.now()`). */
export interface WireVector {
  readonly position: number;
  readonly velocity: number;
  readonly timestamp: number;
}

/** The room's timeline: where it is, how fast it plays, whether it plays. Higher `version` wins; ties go to the lower `sender`. */
export interface StateMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly type: 'state';
  readonly sender: string;
  readonly version: number;
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

export type SyncMessage = StateMessage | HelloMessage;

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Checks a received message; returns it typed, or a reason it is rejected. */
export function validateMessage(raw: unknown): SyncMessage | string {
  let data = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_MESSAGE_CHARS) return `message of ${raw.length} characters is over the limit of ${MAX_MESSAGE_CHARS}`;
    try {
      data = JSON.parse(raw);
    } catch {
      return 'message is not JSON';
    }
  }
  if (typeof data !== 'object' || data === null) return 'message is not an object';
  const message = data as Record<string, unknown>;
  if (message.v !== PROTOCOL_VERSION) return `unknown protocol version ${String(message.v)}`;
  if (typeof message.sender !== 'string' || message.sender.length === 0 || message.sender.length > 64) return 'bad sender';
  if (message.type === 'hello') return { v: PROTOCOL_VERSION, type: 'hello', sender: message.sender };
  if (message.type !== 'state') return `unknown message type ${String(message.type)}`;
  const vector = message.vector as Record<string, unknown> | null;
  if (!vector || !finite(vector.position) || !finite(vector.velocity) || !finite(vector.timestamp)) return 'bad vector';
  if (!finite(message.version) || message.version < 0) return 'bad version';
  if (!finite(message.rate) || typeof message.playing !== 'boolean') return 'bad rate or playing';
  return {
    v: PROTOCOL_VERSION,
    type: 'state',
    sender: message.sender,
    version: message.version,
    vector: { position: vector.position, velocity: vector.velocity, timestamp: vector.timestamp },
    rate: message.rate,
    playing: message.playing,
  };
}

/** Whether `incoming` supersedes `current` (null: nothing known yet). */
export function supersedes(incoming: StateMessage, current: { version: number; sender: string } | null): boolean {
  if (!current) return true;
  if (incoming.version !== current.version) return incoming.version > current.version;
  return incoming.sender < current.sender;
}
