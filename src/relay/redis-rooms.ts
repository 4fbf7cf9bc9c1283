import { Redis } from 'ioredis';
import type { StateMessage } from '../sync/messages.js';

/**
 * Room state shared by every relay process through Redis. Each room's vector
 * is a versioned key: one Lua script increments the version, stores the state
 * and publishes it, atomically, so every relay sees the same order. (No
 * read-compare-retry is needed: a leader's state replaces the room's, it is
 * never computed from the previous one; the script's atomic increment is the
 * compare-and-set.) Relays subscribe to the rooms they have clients in.
 */
const WRITE_AND_PUBLISH = `
local version = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], version .. ' ' .. ARGV[1])
return version
`;

const stateKey = (room: string) => `lottie-sync:room:${room}:state`;
const versionKey = (room: string) => `lottie-sync:room:${room}:version`;
const channelOf = (room: string) => `lottie-sync:room:${room}`;
const ROOM_OF_CHANNEL = /^lottie-sync:room:(.+)$/;

type Writer = Redis & { writeAndPublish(state: string, version: string, body: string, channel: string): Promise<number> };

export class RedisRooms {
  private readonly commands: Writer;
  private readonly subscriber: Redis;
  private wasDown = false;
  /**
   * Settles when both connections are first ready (true), or after `startupMs`
   * if Redis is not there (false: the relay starts degraded and resyncs when it
   * comes). A relay listens only after this, so its first clients' changes go
   * through Redis rather than staying on one relay.
   */
  readonly ready: Promise<boolean>;

  constructor(
    url: string,
    /** A room's new state arrived (from any relay, this one included). */
    private readonly onState: (room: string, state: StateMessage) => void,
    /** Redis came back after being away: resync the rooms from the stored vectors. */
    private readonly onReturn: () => void,
    startupMs = 5000,
  ) {
    const options = {
      // Fail at once while Redis is away, so the relay keeps serving its own clients.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
      lazyConnect: false,
    };
    this.commands = new Redis(url, options) as Writer;
    this.commands.defineCommand('writeAndPublish', { numberOfKeys: 2, lua: WRITE_AND_PUBLISH });
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.commands, this.subscriber]) {
      client.on('error', () => {
        // Reported through `up`; ioredis reconnects by itself.
      });
    }
    this.commands.on('close', () => (this.wasDown = true));
    this.commands.on('ready', () => {
      if (!this.wasDown) return;
      this.wasDown = false;
      this.onReturn();
    });
    const firstReady = (client: Redis) =>
      new Promise<void>((resolve) => (client.status === 'ready' ? resolve() : client.once('ready', () => resolve())));
    this.ready = Promise.race([
      Promise.all([firstReady(this.commands), firstReady(this.subscriber)]).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), startupMs).unref()),
    ]);
    this.subscriber.on('message', (channel: string, payload: string) => {
      const room = ROOM_OF_CHANNEL.exec(channel)?.[1];
      const space = payload.indexOf(' ');
      if (!room || space < 0) return;
      try {
        const state = JSON.parse(payload.slice(space + 1)) as StateMessage;
        this.onState(room, { ...state, version: Number(payload.slice(0, space)) });
      } catch {
        // not ours
      }
    });
  }

  /** Whether Redis answers now. */
  get up(): boolean {
    return this.commands.status === 'ready';
  }

  async subscribe(room: string): Promise<void> {
    await this.subscriber.subscribe(channelOf(room));
  }

  async unsubscribe(room: string): Promise<void> {
    await this.subscriber.unsubscribe(channelOf(room)).catch(() => undefined);
  }

  /** Stores and publishes a room's new state; resolves to its version. Rejects while Redis is away. */
  async write(room: string, state: Omit<StateMessage, 'version'>): Promise<number> {
    return this.commands.writeAndPublish(stateKey(room), versionKey(room), JSON.stringify(state), channelOf(room));
  }

  /** The stored state of a room, or null. Rejects while Redis is away. */
  async read(room: string): Promise<StateMessage | null> {
    const [state, version] = await Promise.all([this.commands.get(stateKey(room)), this.commands.get(versionKey(room))]);
    if (state === null) return null;
    return { ...(JSON.parse(state) as StateMessage), version: Number(version ?? 0) };
  }

  async close(): Promise<void> {
    this.commands.disconnect();
    this.subscriber.disconnect();
  }
}
