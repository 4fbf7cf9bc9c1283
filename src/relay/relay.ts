import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorBudget, TokenBucket } from './connection-limits.js';
import { RedisRooms, WELCOME_WAIT_MS } from './redis-rooms.js';
import { relayHttp, type RelayStatus } from './relay-http.js';
import type { DropReason } from './relay-metrics.js';
import {
  MAX_MESSAGE_CHARS,
  PROTOCOL_VERSION,
  Rejection,
  STAMP_LEAD_MS,
  validateMessage,
  type RelayErrorCode,
  type RelayMessage,
  type ReportMessage,
  type StateMessage,
} from '../sync/messages.js';
import { compareStamps } from '../sync/stamp.js';

/** Rooms' delay figures are looked at this often; a leader hears of a change of the largest at once then. */
const DELAY_EVERY_MS = 1000;
/** A relay publishes its share of a room's delay at least this often (so relays that subscribed later learn it)... */
const DELAY_PUBLISH_EVERY_MS = 5000;
/** ...and another relay's figure older than this is forgotten (that relay went away, or its members left). */
const DELAY_FRESH_MS = 12_000;
/** Leaders are told again when the room's delay moved by this much (ms). */
const DELAY_STEP_MS = 2;
/** A member that has not measured its delay yet counts as this far (ms): a continent, as before measuring. */
const PENDING_DELAY_MS = 150;

/** How long a client that does not read what it is sent is waited for (not read from) before it is dropped. */
const SLOW_READER_GRACE_MS = 2000;

export interface RelayOptions {
  readonly port?: number;
  readonly host?: string;
  /** Control tokens: a leader must join with one of them. Empty: anyone may lead. */
  readonly tokens?: readonly string[];
  readonly maxRoomSize?: number;
  /** Control messages (join, state, report, hello) a connection may send per second (a burst of twice this is allowed). */
  readonly maxMessagesPerSecond?: number;
  /** Clock pings a connection may send per second, counted apart from control messages (bursts of twice this). */
  readonly maxPingsPerSecond?: number;
  /** Bytes the relay may hold queued for one client (its socket's `bufferedAmount`); a client over it is disconnected. */
  readonly maxSendBufferBytes?: number;
  /** `redis://host:port`: share rooms with every relay on the same Redis. */
  readonly redis?: string;
}

interface Client {
  readonly socket: WebSocket;
  room: Room | null;
  role: 'leader' | 'follower';
  sender: string;
  readonly control: TokenBucket;
  readonly pings: TokenBucket;
  readonly errors: ErrorBudget;
  /** Dropped by the relay: nothing more is read from it or sent to it. */
  closing: boolean;
  /** Not read from while it does not read what it is sent (see `receive`). */
  held: boolean;
  /** Welcomed into its room: from then on it is sent the room's states (the welcome carries the newest before). */
  welcomed: boolean;
  /** The stage's last report, when its page opts in. */
  report: ReportMessage | null;
  /** How long this relay's messages take to reach it (ms), as its last ping said; null until it says. */
  delayMs: number | null;
}

interface Room {
  readonly name: string;
  readonly clients: Set<Client>;
  /** The newest state this relay knows for the room (by stamp): what it has delivered, and what it re-asserts to Redis. */
  newest: StateMessage | null;
  /** With Redis: settles when this relay is subscribed to the room's changes and has read its stored state. */
  subscribed: Promise<void>;
  /** Other relays' largest delay to their members of the room, and when each said it. */
  readonly remoteDelays: Map<string, { readonly ms: number; readonly at: number }>;
  /** The largest delay to any member that the room's leaders were last told (null: never told). */
  toldDelay: number | null;
  /** This relay's share as last published to Redis, and when. */
  published: { ms: number; at: number } | null;
}

/**
 * The sync relay: rooms of stages that share one timeline. Leaders send
 * timeline vectors stamped when they were made; the relay keeps each room's
 * newest by stamp, fans each newer one out to the room at once, and never
 * sends a client one older than it has sent (so concurrent leaders cannot fork
 * a room, and a restarted Redis cannot roll it back). With Redis the rooms are
 * shared by every relay (see RedisRooms). Newcomers get the newest state on
 * joining. Pings are answered
 * with the relay's clock for NTP-style clock sync. Nothing is sent per frame.
 * Every message is validated (schema, size, rate); bad ones get an error reply
 * (within a budget: a flooding client is answered no more, then disconnected)
 * and never disturb the room. What the relay queues for a client is bounded:
 * one that does not read is disconnected.
 */
export class Relay {
  private readonly rooms = new Map<string, Room>();
  private readonly clients = new Set<Client>();
  private readonly http: Server;
  private readonly sockets: WebSocketServer;
  private readonly tokens: ReadonlySet<string>;
  private readonly maxRoomSize: number;
  private readonly maxRate: number;
  private readonly maxPingRate: number;
  private readonly maxSendBuffer: number;
  private readonly dropped: Record<DropReason, number> = { 'send-buffer': 0, 'too-many-errors': 0 };
  private messagesIn = 0;
  private messagesOut = 0;
  private readonly startedAt = Date.now();
  private readonly shared: RedisRooms | null;
  /** This relay among those sharing Redis: its delay figures are told apart by it. */
  private readonly id = Math.random().toString(36).slice(2, 12);
  private readonly delays: ReturnType<typeof setInterval>;

  constructor(private readonly options: RelayOptions = {}) {
    this.tokens = new Set(options.tokens ?? []);
    this.maxRoomSize = options.maxRoomSize ?? 1000;
    this.maxRate = options.maxMessagesPerSecond ?? 20;
    this.maxPingRate = options.maxPingsPerSecond ?? 20;
    this.maxSendBuffer = options.maxSendBufferBytes ?? 1024 * 1024;
    this.http = createServer(relayHttp(() => this.status()));
    // Frames larger than this are refused by ws itself (the connection closes with 1009); up to it, `too-large` replies.
    this.sockets = new WebSocketServer({ server: this.http, maxPayload: MAX_MESSAGE_CHARS * 4 });
    this.sockets.on('connection', (socket) => this.accept(socket));
    this.shared = options.redis
      ? new RedisRooms(options.redis, {
          offer: (name, state) => {
            const room = this.rooms.get(name);
            if (room) this.offer(room, state);
          },
          rooms: () => this.rooms.values(),
          delay: (name, relay, ms) => {
            const room = this.rooms.get(name);
            if (!room || relay === this.id) return;
            room.remoteDelays.set(relay, { ms, at: Date.now() });
            this.tellRoomDelay(room, true);
          },
        })
      : null;
    this.delays = setInterval(() => this.tellDelays(), DELAY_EVERY_MS);
    this.delays.unref();
  }

  /**
   * This relay's share of a room's delay (ms): the largest of its members',
   * as their pings said; a member that has not said yet counts as
   * PENDING_DELAY_MS (it may be far). Null without members.
   */
  private localDelay(room: Room): number | null {
    let largest: number | null = null;
    for (const client of room.clients) largest = Math.max(largest ?? 0, client.delayMs ?? PENDING_DELAY_MS);
    return largest;
  }

  /** The largest one-way delay from a relay to any member of the room (ms): this relay's share (`local`) and the other relays'. */
  private roomDelay(room: Room, local = this.localDelay(room)): number | null {
    let largest = local;
    const now = Date.now();
    for (const [relay, { ms, at }] of room.remoteDelays) {
      if (now - at > DELAY_FRESH_MS) room.remoteDelays.delete(relay);
      else largest = Math.max(largest ?? 0, ms);
    }
    return largest;
  }

  /** Once a second, every room: leaders hear of a change of its delay; with Redis, this relay's share is published. */
  private tellDelays(): void {
    for (const room of this.rooms.values()) this.tellRoomDelay(room, false);
  }

  /**
   * A room's delay to its leaders (and this relay's share to Redis) when it
   * moved by DELAY_STEP_MS or more. A rise (a member joined, or is further
   * now) goes at once, so that no change is scheduled too early for it;
   * a fall waits for the once-a-second round (`soon` false).
   */
  private tellRoomDelay(room: Room, soon: boolean): void {
    const now = Date.now();
    // One pass over the members per call: this runs on every ping whose delay figure moved.
    const mine = this.localDelay(room);
    if (this.shared) {
      const last = room.published;
      const rose = mine !== null && last !== null && mine >= last.ms + DELAY_STEP_MS;
      const due = mine !== null && (!last || now - last.at >= DELAY_PUBLISH_EVERY_MS || Math.abs(last.ms - mine) >= DELAY_STEP_MS);
      if (mine !== null && (rose || (!soon && due) || !last)) {
        room.published = { ms: mine, at: now };
        this.shared.publishDelay(room.name, this.id, mine);
      }
    }
    const delay = this.roomDelay(room, mine);
    if (delay === null) return;
    const told = room.toldDelay;
    if (told !== null && (soon ? delay < told + DELAY_STEP_MS : Math.abs(delay - told) < DELAY_STEP_MS)) return;
    room.toldDelay = delay;
    for (const client of room.clients) if (client.role === 'leader' && client.welcomed) this.tellDelay(client, delay);
  }

  private tellDelay(client: Client, delayMs: number): void {
    this.send(client, { v: PROTOCOL_VERSION, type: 'room', delayMs: Math.round(delayMs) });
  }

  /** A state for a room, from a leader here or from Redis: kept and sent to the room's clients if it is newer than the room's; else dropped. */
  private offer(room: Room, state: StateMessage): boolean {
    if (room.newest && compareStamps(state.stamp, room.newest.stamp) <= 0) return false;
    room.newest = state;
    const text = JSON.stringify(state);
    for (const member of room.clients) if (member.welcomed) this.sendText(member, text);
    return true;
  }

  /** Starts listening (with Redis, once it is connected or found missing); resolves to the port (useful with port 0). */
  async listen(): Promise<number> {
    await this.shared?.ready;
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 8787, this.options.host ?? '127.0.0.1', () =>
        resolve((this.http.address() as AddressInfo).port),
      );
    });
  }

  /** Tells every client to move (`bye`), then closes. */
  async close(reason = 'shutdown'): Promise<void> {
    clearInterval(this.delays);
    for (const client of this.clients) {
      this.send(client, { v: PROTOCOL_VERSION, type: 'bye', reason });
      client.socket.close(1001, reason);
    }
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.shared?.close();
  }

  private accept(socket: WebSocket): void {
    const client: Client = {
      socket,
      room: null,
      role: 'follower',
      sender: '',
      control: new TokenBucket(this.maxRate),
      pings: new TokenBucket(this.maxPingRate),
      errors: new ErrorBudget(),
      closing: false,
      held: false,
      welcomed: false,
      report: null,
      delayMs: null,
    };
    this.clients.add(client);
    socket.on('message', (data, isBinary) => {
      this.receive(client, isBinary ? null : data.toString());
      if (socket.bufferedAmount > this.maxSendBuffer / 2) this.hold(client);
    });
    socket.on('close', () => this.disconnect(client));
    socket.on('error', () => this.disconnect(client));
  }

  private disconnect(client: Client): void {
    this.clients.delete(client);
    this.leaveRoom(client);
  }

  private leaveRoom(client: Client): void {
    const room = client.room;
    if (!room) return;
    room.clients.delete(client);
    client.room = null;
    client.welcomed = false;
    // An empty room is forgotten here (with Redis, its state stays there).
    if (room.clients.size === 0) {
      this.rooms.delete(room.name);
      void this.shared?.unsubscribe(room.name);
    }
  }

  /** Answers a refused message within the connection's error budget: past it the relay stops answering, then disconnects. */
  private reject(client: Client, code: RelayErrorCode, message: string, seq?: number): void {
    switch (client.errors.add()) {
      case 'reply':
        return this.send(client, { v: PROTOCOL_VERSION, type: 'error', code, message, ...(seq === undefined ? {} : { seq }) });
      case 'mute':
        return this.send(client, {
          v: PROTOCOL_VERSION,
          type: 'error',
          code: 'too-many-errors',
          message: `${code}: ${message}. Further errors are not answered; more close the connection.`,
        });
      case 'silent':
        return;
      case 'close':
        return this.drop(client, 'too-many-errors');
    }
  }

  /**
   * A client whose replies pile up (it does not read, or reads too slowly) is
   * not read from either for a while, so a flood from it costs the relay no
   * work; if its buffer has not drained by then, it is dropped.
   */
  private hold(client: Client): void {
    if (client.held || client.closing) return;
    client.held = true;
    client.socket.pause();
    setTimeout(() => {
      client.held = false;
      if (client.closing) return;
      if (client.socket.bufferedAmount > this.maxSendBuffer / 2) this.drop(client, 'send-buffer');
      else client.socket.resume();
    }, SLOW_READER_GRACE_MS).unref();
  }

  /** Disconnects a client the relay will not serve any more. */
  private drop(client: Client, reason: DropReason): void {
    if (client.closing) return;
    client.closing = true;
    this.dropped[reason] += 1;
    if (reason === 'send-buffer') {
      // It does not read: a close frame would only queue behind the rest.
      client.socket.terminate();
      return;
    }
    // Read nothing more from it; a client that does not read never answers the close, so it is cut off soon after.
    client.socket.pause();
    client.socket.close(1008, 'too many bad messages');
    setTimeout(() => client.socket.terminate(), 1000).unref();
  }

  private receive(client: Client, text: string | null): void {
    if (client.closing) return;
    this.messagesIn += 1;
    if (text === null) return this.reject(client, 'binary-frame', 'binary messages are not part of the protocol');
    if (text.length > MAX_MESSAGE_CHARS) return this.reject(client, 'too-large', `messages are limited to ${MAX_MESSAGE_CHARS} characters`);
    const message = validateMessage(text);
    if (message instanceof Rejection) return this.reject(client, message.code, message.reason);
    // Clock pings have a limit of their own: a stage pings ten times a second at first, and its changes must still pass.
    if (message.type === 'ping') {
      if (!client.pings.take()) return this.reject(client, 'ping-rate-limited', `at most ${this.maxPingRate} pings a second`);
      if (message.delayMs !== undefined && message.delayMs !== client.delayMs) {
        client.delayMs = message.delayMs;
        if (client.room) this.tellRoomDelay(client.room, true);
      }
      return this.send(client, { v: PROTOCOL_VERSION, type: 'pong', id: message.id, t0: message.t0, t1: Date.now() });
    }
    if (!client.control.take())
      return this.reject(
        client,
        'rate-limited',
        `at most ${this.maxRate} messages a second`,
        message.type === 'state' ? message.seq : undefined,
      );
    switch (message.type) {
      case 'join': {
        if (message.role === 'leader' && this.tokens.size > 0 && !this.tokens.has(message.token ?? '')) {
          return this.reject(client, 'forbidden', 'leaders need a valid control token for this relay');
        }
        const existing = this.rooms.get(message.room);
        if (existing && !existing.clients.has(client) && existing.clients.size >= this.maxRoomSize) {
          return this.reject(client, 'room-full', `room ${message.room} has ${this.maxRoomSize} clients already`);
        }
        if (client.room && client.room !== existing) this.leaveRoom(client);
        let room = this.rooms.get(message.room);
        if (!room) {
          const subscribed = this.shared ? this.shared.subscribe(message.room).catch(() => undefined) : Promise.resolve();
          this.rooms.set(
            message.room,
            (room = {
              name: message.room,
              clients: new Set(),
              newest: null,
              subscribed,
              remoteDelays: new Map(),
              toldDelay: null,
              published: null,
            }),
          );
        }
        room.clients.add(client);
        client.room = room;
        client.role = message.role;
        client.sender = message.sender;
        client.welcomed = false;
        this.tellRoomDelay(room, true);
        void this.welcome(client, room);
        return;
      }
      case 'report':
        if (!client.room) return this.reject(client, 'not-joined', 'join a room first');
        client.report = message;
        return;
      case 'hello':
        if (!client.room) return this.reject(client, 'not-joined', 'join a room first');
        if (client.welcomed && client.room.newest) this.send(client, client.room.newest);
        return;
      case 'state': {
        const room = client.room;
        if (!room) return this.reject(client, 'not-joined', 'join a room first');
        if (client.role !== 'leader') return this.reject(client, 'forbidden', 'followers cannot control the room', message.seq);
        return this.takeChange(client, room, message);
      }
    }
  }

  /**
   * Welcomes a newcomer with the room's newest state. With Redis, first the
   * room's subscription and stored state (so nothing published before is
   * missed), but never longer than WELCOME_WAIT_MS: a stalled Redis does not
   * hold a join.
   */
  private async welcome(client: Client, room: Room): Promise<void> {
    if (this.shared?.healthy) await Promise.race([room.subscribed, new Promise((resolve) => setTimeout(resolve, WELCOME_WAIT_MS))]);
    if (client.room !== room || client.welcomed) return;
    client.welcomed = true;
    this.send(client, {
      v: PROTOCOL_VERSION,
      type: 'welcome',
      room: room.name,
      role: client.role,
      state: room.newest,
      serverTime: Date.now(),
      limits: { controlPerSecond: this.maxRate, pingsPerSecond: this.maxPingRate },
    });
    // A leader schedules its changes by the room's delay: it hears the figure at once. A newcomer
    // counts as far until it has measured, and the room's leaders hear that at once too.
    const delay = client.role === 'leader' ? this.roomDelay(room) : null;
    if (delay !== null) this.tellDelay(client, delay);
    this.tellRoomDelay(room, true);
  }

  /**
   * A leader's change. Its stamp is the one it was made with, capped at this
   * relay's clock (or the room's newest stamp, if ahead) plus STAMP_LEAD_MS,
   * so no client can stamp a change that nothing can follow; the origin is the
   * sender this relay knows. A change older than the room's newest is refused
   * (`superseded`). Otherwise it is delivered here at once and written to
   * Redis, which settles the order with the other relays.
   */
  private takeChange(client: Client, room: Room, message: StateMessage): void {
    const cap = Math.max(Date.now(), room.newest?.stamp[0] ?? 0) + STAMP_LEAD_MS;
    const state: StateMessage = {
      ...message,
      sender: client.sender,
      stamp: [Math.min(message.stamp[0], cap), message.stamp[1], client.sender],
    };
    if (!this.offer(room, state)) {
      // A normal race, not the client's fault: outside the error budget.
      this.send(client, {
        v: PROTOCOL_VERSION,
        type: 'error',
        code: 'superseded',
        message: 'the room has a newer state',
        seq: message.seq,
      });
      return;
    }
    this.shared?.write(room.name, state);
  }

  private send(client: Client, message: RelayMessage): void {
    this.sendText(client, JSON.stringify(message));
  }

  private sendText(client: Client, text: string): void {
    if (client.closing || client.socket.readyState !== client.socket.OPEN) return;
    // Bounded per client: one that does not read, or reads too slowly, is dropped before it costs the relay memory.
    if (client.socket.bufferedAmount + text.length > this.maxSendBuffer) return this.drop(client, 'send-buffer');
    this.messagesOut += 1;
    client.socket.send(text);
  }

  /** What `/health` and `/metrics` show now. */
  private status(): RelayStatus {
    return {
      redis: this.shared ? (this.shared.healthy ? 'up' : 'down') : 'none',
      rooms: this.rooms.size,
      connections: this.clients.size,
      uptimeSeconds: (Date.now() - this.startedAt) / 1000,
      metrics: () => ({
        connections: this.clients.size,
        messagesIn: this.messagesIn,
        messagesOut: this.messagesOut,
        dropped: this.dropped,
        rooms: [...this.rooms.values()].map((room) => ({
          name: room.name,
          clients: room.clients.size,
          reports: [...room.clients].map((client) => client.report).filter((report): report is ReportMessage => report !== null),
        })),
      }),
    };
  }
}
