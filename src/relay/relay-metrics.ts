import type { ReportMessage } from '../sync/messages.js';

/** Why the relay dropped a client. */
export type DropReason = 'send-buffer' | 'too-many-errors';

/** What the relay's `/metrics` shows, read from the relay when asked. */
export interface MetricsView {
  readonly connections: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
  readonly rooms: readonly { readonly name: string; readonly clients: number; readonly reports: readonly ReportMessage[] }[];
}

function metric(name: string, type: string, help: string, samples: string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}

/** Per-room aggregates of what the stages report (only pages that opt in report). */
function roomReports(view: MetricsView): string[] {
  const reporting = view.rooms.filter((room) => room.reports.length > 0);
  const series = (name: string, help: string, pick: (reports: readonly ReportMessage[]) => number) =>
    metric(
      name,
      'gauge',
      help,
      reporting.map((room) => `${name}{room=${JSON.stringify(room.name)}} ${pick(room.reports)}`),
    );
  return [
    ...series('lottie_sync_room_players', 'Players on the reporting stages of a room.', (r) => r.reduce((sum, x) => sum + x.players, 0)),
    ...series('lottie_sync_room_ticks_per_second_min', 'Lowest tick rate among the reporting stages of a room.', (r) =>
      Math.min(...r.map((x) => x.ticksPerSecond)),
    ),
    ...series('lottie_sync_room_spread_frames_max', 'Largest frame spread on any reporting stage of a room.', (r) =>
      Math.max(...r.map((x) => x.spread)),
    ),
    ...series('lottie_sync_room_clock_offset_ms_max', 'Largest clock offset (absolute, ms) among the reporting stages of a room.', (r) =>
      Math.max(...r.map((x) => Math.abs(x.clockOffsetMs))),
    ),
  ];
}

/** The Prometheus text of `/metrics`. */
export function renderMetrics(view: MetricsView): string {
  const lines = [
    ...metric('lottie_sync_connections', 'gauge', 'Open client connections.', [`lottie_sync_connections ${view.connections}`]),
    ...metric('lottie_sync_rooms', 'gauge', 'Rooms with at least one client.', [`lottie_sync_rooms ${view.rooms.length}`]),
    ...metric('lottie_sync_messages_received_total', 'counter', 'Messages received from clients.', [
      `lottie_sync_messages_received_total ${view.messagesIn}`,
    ]),
    ...metric('lottie_sync_messages_sent_total', 'counter', 'Messages sent to clients.', [
      `lottie_sync_messages_sent_total ${view.messagesOut}`,
    ]),
    ...metric(
      'lottie_sync_clients_dropped_total',
      'counter',
      'Clients the relay disconnected: send buffer over the bound, or too many bad messages.',
      Object.entries(view.dropped).map(([reason, count]) => `lottie_sync_clients_dropped_total{reason="${reason}"} ${count}`),
    ),
    ...roomReports(view),
    ...metric(
      'lottie_sync_room_clients',
      'gauge',
      'Clients per room.',
      view.rooms.map((room) => `lottie_sync_room_clients{room=${JSON.stringify(room.name)}} ${room.clients}`),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
