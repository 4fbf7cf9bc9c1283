import { Redis } from 'ioredis';
import { isDelay, validateState, type StateMessage } from '../sync/messages.js';

/**
 * One Lua script stores a room's state only if its stamp is newer than the
 * stored one's, publishes it when it does, and returns the winner, atomically:
 * every relay sees one order, and no relay can push an older state over a
 * newer one (a Redis restarted empty or from an old snapshot is simply
 * written again). Stamps compare as ms, counter, then origin byte by byte
 * (origins are ASCII, so this is the order of compareStamps). A stored value
 * that is not a stamped state (garbage, an older protocol) loses.
 */
const WRITE_IF_NEWER = `
local function newer(ms, counter, origin, other)
  if type(other) ~= 'table' or type(other[1]) ~= 'number' or type(other[2]) ~= 'number' or type(other[3]) ~= 'string' then
    return true
  end
  if ms ~= other[1] then return ms > other[1] end
  if counter ~= other[2] then return counter > other[2] end
  local a, b = origin, other[3]
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end
local stored = redis.call('GET', KEYS[1])
if stored then
  local ok, decoded = pcall(cjson.decode, stored)
  if ok and type(decoded) == 'table' and not newer(tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], decoded.stamp) then
    return stored
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[5], ARGV[1])
return ARGV[1]
`;

// The protocol version is in the names: relays of another version never read these keys.
const stateKey = (room: string) => `lottie-sync:2:room:${room}:state`;
const channelOf = (room: string) => `lottie-sync:2:room:${room}`;
const ROOM_OF_CHANNEL = /^lottie-sync:2:room:(.+)$/;

/** Every command gives up after this: a stalled Redis must not hold a relay's clients. */
const COMMAND_TIMEOUT_MS = 700;
/** Redis is pinged this often; a ping that fails or times out makes the relay degraded until one succeeds again. */
const PROBE_EVERY_MS = 300;
/** A welcome waits at most this for the room's subscription and stored state. */
export const WELCOME_WAIT_MS = 500;

type Writer = Redis & {
  writeIfNewer(key: string, state: string, ms: string, counter: string, origin: string, channel: string): Promise<string>;
};

/** What RedisRooms needs of its relay. */
export interface RedisRoomsHost {
  /** A room's state from Redis (published, read, or the winner of a write): the relay keeps and delivers it if it is newer. */
  offer(room: string, state: StateMessage): void;
  /** The rooms this relay serves, each with the newest state it holds. */
  rooms(): Iterable<{ readonly name: string; readonly newest: StateMessage | null }>;
  /** Another relay's largest delay to its members of a room (ms), as it published it. */
  delay(room: string, relay: string, ms: number): void;
}

/**
 * Room state shared by every relay process through Redis. The relay keeps
 * each room's newest state in memory and delivers to its own clients at once;
 * Redis orders the rooms across relays. Commands time out and a periodic ping
 * watches Redis: while it is away or stalled the relay is degraded (`healthy`
 * false) and serves alone; when it answers again the relay subscribes its
 * rooms anew and writes each room's newest state (only if newer, so the
 * newest of all relays wins) and takes the winner.
 */
export class RedisRooms {
  private readonly commands: Writer;
  private readonly subscriber: Redis;
  private isHealthy = false;
  private recovering: Promise<void> | null = null;
  private readonly probe: ReturnType<typeof setInterval>;
  private markReady: (inStep: boolean) => void = () => undefined;
  /**
   * Settles when Redis first answers and this relay is in step (true), or
   * after `startupMs` if it does not (false: the relay starts degraded and
   * catches up when Redis comes). A relay listens only after this, so its
   * first clients' changes go through Redis rather than staying on one relay.
   */
  readonly ready: Promise<boolean>;

  constructor(
    url: string,
    private readonly host: RedisRoomsHost,
    startupMs = 5000,
  ) {
    const options = {
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(times * 100, 500),
    };
    // Fail at once while Redis is away, so the relay keeps serving its own clients.
    this.commands = new Redis(url, { ...options, enableOfflineQueue: false }) as Writer;
    this.commands.defineCommand('writeIfNewer', { numberOfKeys: 1, lua: WRITE_IF_NEWER });
    this.subscriber = new Redis(url, options);
    for (const client of [this.commands, this.subscriber]) {
      client.on('error', () => {
        // Reported through `healthy`; ioredis reconnects by itself.
      });
      client.on('close', () => this.markDown());
      client.on('ready', () => void this.check());
    }
    this.subscriber.on('message', (channel: string, payload: string) => {
      const room = ROOM_OF_CHANNEL.exec(channel)?.[1];
      if (!room) return;
      const state = parseState(payload);
      if (state) return this.host.offer(room, state);
      const delay = parseDelay(payload);
      if (delay) this.host.delay(room, delay.relay, delay.ms);
    });
    this.probe = setInterval(() => void this.check(), PROBE_EVERY_MS);
    this.probe.unref();
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
      setTimeout(() => resolve(false), startupMs).unref();
    });
  }

  /** Whether Redis answers in time and this relay is in step with it. */
  get healthy(): boolean {
    return this.isHealthy;
  }

  private markDown(): void {
    this.isHealthy = false;
  }

  /** The probe: a ping in time keeps (or makes, after recovering) the relay healthy; anything else degrades it. */
  private async check(): Promise<void> {
    if (this.commands.status !== 'ready' || this.subscriber.status !== 'ready') return this.markDown();
    try {
      await this.commands.ping();
    } catch {
      return this.markDown();
    }
    if (!this.isHealthy) await this.recover();
  }

  /** Redis answers again: subscribe every room, write each room's newest state where it is newer, take the winners. */
  private recover(): Promise<void> {
    this.recovering ??= this.catchUp().finally(() => (this.recovering = null));
    return this.recovering;
  }

  private async catchUp(): Promise<void> {
    try {
      const rooms = [...this.host.rooms()];
      if (rooms.length > 0) await this.subscriber.subscribe(...rooms.map((room) => channelOf(room.name)));
      await Promise.all(
        rooms.map(async (room) => {
          const winner = room.newest ? await this.writeIfNewer(room.name, room.newest) : await this.read(room.name);
          if (winner) this.host.offer(room.name, winner);
        }),
      );
      // Healthy only once in step: changes accepted meanwhile are written as they come (see write).
      this.isHealthy = true;
      this.markReady(true);
    } catch {
      this.markDown();
    }
  }

  /** Subscribes to a room's changes, then reads its stored state (offered to the relay): nothing published before is missed. */
  async subscribe(room: string): Promise<void> {
    await this.subscriber.subscribe(channelOf(room));
    const stored = await this.read(room);
    if (stored) this.host.offer(room, stored);
  }

  async unsubscribe(room: string): Promise<void> {
    await this.subscriber.unsubscribe(channelOf(room)).catch(() => undefined);
  }

  /**
   * Writes a room's newest state if Redis holds none newer; the winner is
   * offered to the relay. While Redis is away nothing is written: recovery
   * writes the room's newest state then (changes during a recovery are
   * written as they come, as the recovery may have passed their room).
   */
  write(room: string, state: StateMessage): void {
    if (!this.isHealthy && !this.recovering) return;
    this.writeIfNewer(room, state).then(
      (winner) => winner && this.host.offer(room, winner),
      () => this.markDown(),
    );
  }

  private async writeIfNewer(room: string, state: StateMessage): Promise<StateMessage | null> {
    const [ms, counter, origin] = state.stamp;
    const winner = await this.commands.writeIfNewer(
      stateKey(room),
      JSON.stringify(state),
      String(ms),
      String(counter),
      origin,
      channelOf(room),
    );
    return parseState(winner);
  }

  /** The stored state of a room, or null (none, or not a valid state). Rejects while Redis is away. */
  async read(room: string): Promise<StateMessage | null> {
    return parseState(await this.commands.get(stateKey(room)));
  }

  /**
   * Publishes this relay's largest delay to its members of a room, on the
   * room's channel (relays that read only states drop it as not a state).
   * Not stored: relays publish their shares again every few seconds.
   */
  publishDelay(room: string, relay: string, ms: number): void {
    if (!this.isHealthy) return;
    this.commands.publish(channelOf(room), JSON.stringify({ delay: { relay, ms } })).catch(() => this.markDown());
  }

  async close(): Promise<void> {
    clearInterval(this.probe);
    this.commands.disconnect();
    this.subscriber.disconnect();
  }
}

/** A state from Redis, checked like any other input (anyone with access to Redis may have written the key). */
function parseState(text: string | null): StateMessage | null {
  if (text === null) return null;
  try {
    return validateState(JSON.parse(text));
  } catch {
    return null;
  }
}

/** A relay's delay share from Redis, checked like a state: `{ delay: { relay, ms } }`, or null. */
function parseDelay(text: string): { relay: string; ms: number } | null {
  try {
    const delay = (JSON.parse(text) as { delay?: { relay?: unknown; ms?: unknown } } | null)?.delay;
    if (typeof delay?.relay !== 'string' || delay.relay.length > 64 || !isDelay(delay.ms)) return null;
    return { relay: delay.relay, ms: delay.ms };
  } catch {
    return null;
  }
}
