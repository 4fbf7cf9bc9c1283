import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { RedisRooms } from './redis-rooms.js';
import {
  MAX_MESSAGE_CHARS,
  PROTOCOL_VERSION,
  Rejection,
  validateMessage,
  type RelayErrorCode,
  type RelayMessage,
  type ReportMessage,
  type StateMessage,
} from '../sync/messages.js';

export interface RelayOptions {
  readonly port?: number;
  readonly host?: string;
  /** Control tokens: a leader must join with one of them. Empty: anyone may lead. */
  readonly tokens?: readonly string[];
  readonly maxRoomSize?: number;
  /** Messages a connection may send per second (a burst of twice this is allowed). */
  readonly maxMessagesPerSecond?: number;
  /** `redis://host:port`: share rooms with every relay on the same Redis. */
  readonly redis?: string;
}

interface Client {
  readonly socket: WebSocket;
  room: Room | null;
  role: 'leader' | 'follower';
  sender: string;
  allowance: number;
  lastRefill: number;
  /** The stage's last report, when its page opts in. */
  report: ReportMessage | null;
}

interface Room {
  readonly name: string;
  readonly clients: Set<Client>;
  state: StateMessage | null;
  version: number;
  /** With Redis: settles when this relay is subscribed to the room's changes. */
  subscribed: Promise<void>;
}

/**
 * The sync relay: rooms of stages that share one timeline. Leaders send
 * timeline vectors; the relay orders them (its own version counter, so
 * concurrent leaders cannot fork the room), stores the latest, and fans it out
 * to the room. Newcomers get the stored state on joining. Pings are answered
 * with the relay's clock for NTP-style clock sync. Nothing is sent per frame.
 * Every message is validated (schema, size, rate); bad ones get an error reply
 * and never disturb the room.
 */
export class Relay {
  private readonly rooms = new Map<string, Room>();
  private readonly clients = new Set<Client>();
  private readonly http: Server;
  private readonly sockets: WebSocketServer;
  private readonly tokens: ReadonlySet<string>;
  private readonly maxRoomSize: number;
  private readonly maxRate: number;
  private messagesIn = 0;
  private messagesOut = 0;
  private readonly startedAt = Date.now();
  private readonly shared: RedisRooms | null;

  constructor(private readonly options: RelayOptions = {}) {
    this.tokens = new Set(options.tokens ?? []);
    this.maxRoomSize = options.maxRoomSize ?? 1000;
    this.maxRate = options.maxMessagesPerSecond ?? 20;
    this.http = createServer((request, response) => this.serveHttp(request, response));
    // Frames larger than this are refused by ws itself (the connection closes with 1009).
    this.sockets = new WebSocketServer({ server: this.http, maxPayload: 64 * 1024 });
    this.sockets.on('connection', (socket) => this.accept(socket));
    this.shared = options.redis
      ? new RedisRooms(
          options.redis,
          (room, state) => this.deliver(room, state),
          () => void this.resyncAll(),
        )
      : null;
  }

  /** A room's new state, from Redis (any relay): store it and send it to this relay's clients in the room. */
  private deliver(name: string, state: StateMessage): void {
    const room = this.rooms.get(name);
    if (!room) return;
    room.state = state;
    room.version = state.version;
    for (const member of room.clients) this.send(member, state);
  }

  /** Redis is back: every room this relay serves takes the stored vector again. */
  private async resyncAll(): Promise<void> {
    for (const room of this.rooms.values()) {
      const stored = await this.shared?.read(room.name).catch(() => null);
      if (stored) this.deliver(room.name, stored);
    }
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
      allowance: this.maxRate * 2,
      lastRefill: Date.now(),
      report: null,
    };
    this.clients.add(client);
    socket.on('message', (data, isBinary) => this.receive(client, isBinary ? null : data.toString()));
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
    // An empty room is forgotten here (with Redis, its state stays there).
    if (room.clients.size === 0) {
      this.rooms.delete(room.name);
      void this.shared?.unsubscribe(room.name);
    }
  }

  private reject(client: Client, code: RelayErrorCode, message: string): void {
    this.send(client, { v: PROTOCOL_VERSION, type: 'error', code, message });
  }

  /** Token bucket: `maxRate` a second, bursts up to twice that. */
  private allowed(client: Client): boolean {
    const now = Date.now();
    client.allowance = Math.min(this.maxRate * 2, client.allowance + ((now - client.lastRefill) / 1000) * this.maxRate);
    client.lastRefill = now;
    if (client.allowance < 1) return false;
    client.allowance -= 1;
    return true;
  }

  private receive(client: Client, text: string | null): void {
    this.messagesIn += 1;
    if (text === null) return this.reject(client, 'binary-frame', 'binary messages are not part of the protocol');
    if (text.length > MAX_MESSAGE_CHARS) return this.reject(client, 'too-large', `messages are limited to ${MAX_MESSAGE_CHARS} characters`);
    if (!this.allowed(client)) return this.reject(client, 'rate-limited', `at most ${this.maxRate} messages a second`);
    const message = validateMessage(text);
    if (message instanceof Rejection) return this.reject(client, message.code, message.reason);
    switch (message.type) {
      case 'ping':
        return this.send(client, { v: PROTOCOL_VERSION, type: 'pong', id: message.id, t0: message.t0, t1: Date.now() });
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
          this.rooms.set(message.room, (room = { name: message.room, clients: new Set(), state: null, version: 0, subscribed }));
        }
        room.clients.add(client);
        client.room = room;
        client.role = message.role;
        client.sender = message.sender;
        void this.welcome(client, room);
        return;
      }
      case 'report':
        if (!client.room) return this.reject(client, 'not-joined', 'join a room first');
        client.report = message;
        return;
      case 'hello':
        if (!client.room) return this.reject(client, 'not-joined', 'join a room first');
        if (client.room.state) this.send(client, client.room.state);
        return;
      case 'state': {
        const room = client.room;
        if (!room) return this.reject(client, 'not-joined', 'join a room first');
        if (client.role !== 'leader') return this.reject(client, 'forbidden', 'followers cannot control the room');
        void this.publish(room, { ...message, sender: client.sender });
        return;
      }
    }
  }

  /** Sends the room's state to a newcomer: the stored one when Redis is there, else this relay's. */
  private async welcome(client: Client, room: Room): Promise<void> {
    // Subscribed first: a change published after the welcome must reach this client.
    await room.subscribed;
    let state = room.state;
    if (this.shared?.up) {
      const stored = await this.shared.read(room.name).catch(() => undefined);
      if (stored !== undefined) state = stored;
    }
    this.send(client, { v: PROTOCOL_VERSION, type: 'welcome', room: room.name, role: client.role, state, serverTime: Date.now() });
  }

  /**
   * A leader's new state. With Redis: written and published in one script, and
   * delivered to this relay's clients by the subscription like everyone else's.
   * Without Redis, or while it is away: ordered and delivered here.
   */
  private async publish(room: Room, state: StateMessage): Promise<void> {
    if (this.shared?.up) {
      try {
        await this.shared.write(room.name, state);
        return;
      } catch {
        // Redis went away just now: serve this relay's clients on our own.
      }
    }
    room.version += 1;
    room.state = { ...state, version: room.version };
    for (const member of room.clients) this.send(member, room.state);
  }

  private send(client: Client, message: RelayMessage): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    this.messagesOut += 1;
    client.socket.send(JSON.stringify(message));
  }

  /** Per-room aggregates of what the stages report (only pages that opt in report). */
  private roomReports(metric: (name: string, type: string, help: string, samples: string[]) => string[]): string[] {
    const rows = [...this.rooms.values()].map((room) => {
      const reports = [...room.clients].map((client) => client.report).filter((report): report is ReportMessage => report !== null);
      return { room: JSON.stringify(room.name), reports };
    });
    const series = (pick: (reports: ReportMessage[]) => number) =>
      rows.filter(({ reports }) => reports.length > 0).map(({ room, reports }) => `{room=${room}} ${pick(reports)}`);
    const named = (name: string, samples: string[]) => samples.map((sample) => `${name}${sample}`);
    return [
      ...metric(
        'lottie_sync_room_players',
        'gauge',
        'Players on the reporting stages of a room.',
        named(
          'lottie_sync_room_players',
          series((r) => r.reduce((sum, x) => sum + x.players, 0)),
        ),
      ),
      ...metric(
        'lottie_sync_room_ticks_per_second_min',
        'gauge',
        'Lowest tick rate among the reporting stages of a room.',
        named(
          'lottie_sync_room_ticks_per_second_min',
          series((r) => Math.min(...r.map((x) => x.ticksPerSecond))),
        ),
      ),
      ...metric(
        'lottie_sync_room_spread_frames_max',
        'gauge',
        'Largest frame spread on any reporting stage of a room.',
        named(
          'lottie_sync_room_spread_frames_max',
          series((r) => Math.max(...r.map((x) => x.spread))),
        ),
      ),
      ...metric(
        'lottie_sync_room_clock_offset_ms_max',
        'gauge',
        'Largest clock offset (absolute, ms) among the reporting stages of a room.',
        named(
          'lottie_sync_room_clock_offset_ms_max',
          series((r) => Math.max(...r.map((x) => Math.abs(x.clockOffsetMs)))),
        ),
      ),
    ];
  }

  private serveHttp(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health') {
      const redis = this.shared ? (this.shared.up ? 'up' : 'down') : 'none';
      response.writeHead(redis === 'down' ? 503 : 200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          status: redis === 'down' ? 'degraded' : 'ok',
          redis,
          rooms: this.rooms.size,
          connections: this.clients.size,
          uptimeSeconds: (Date.now() - this.startedAt) / 1000,
        }),
      );
      return;
    }
    if (path === '/metrics') {
      const metric = (name: string, type: string, help: string, samples: string[]) => [
        `# HELP ${name} ${help}`,
        `# TYPE ${name} ${type}`,
        ...samples,
      ];
      const lines = [
        ...metric('lottie_sync_connections', 'gauge', 'Open client connections.', [`lottie_sync_connections ${this.clients.size}`]),
        ...metric('lottie_sync_rooms', 'gauge', 'Rooms with at least one client.', [`lottie_sync_rooms ${this.rooms.size}`]),
        ...metric('lottie_sync_messages_received_total', 'counter', 'Messages received from clients.', [
          `lottie_sync_messages_received_total ${this.messagesIn}`,
        ]),
        ...metric('lottie_sync_messages_sent_total', 'counter', 'Messages sent to clients.', [
          `lottie_sync_messages_sent_total ${this.messagesOut}`,
        ]),
        ...this.roomReports(metric),
        ...metric(
          'lottie_sync_room_clients',
          'gauge',
          'Clients per room.',
          [...this.rooms.values()].map((room) => `lottie_sync_room_clients{room=${JSON.stringify(room.name)}} ${room.clients.size}`),
        ),
      ];
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(`${lines.join('\n')}\n`);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('lottie-sync relay: WebSocket on this port; /health and /metrics over HTTP.\n');
  }
}
