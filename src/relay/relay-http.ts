import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderMetrics, type MetricsView } from './relay-metrics.js';

/** What the relay's HTTP side reads from the relay when asked. */
export interface RelayStatus {
  /** `none` without Redis; `down` covers a stalled Redis (commands that time out, a probe unanswered). */
  readonly redis: 'none' | 'up' | 'down';
  readonly rooms: number;
  readonly connections: number;
  readonly uptimeSeconds: number;
  metrics(): MetricsView;
}

/**
 * The relay's HTTP side, on its WebSocket port: `GET /health` (JSON, 503
 * `degraded` while Redis is away) and `GET /metrics` (Prometheus text).
 */
export function relayHttp(status: () => RelayStatus): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const now = status();
    if (path === '/health') {
      const degraded = now.redis === 'down';
      response.writeHead(degraded ? 503 : 200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          status: degraded ? 'degraded' : 'ok',
          redis: now.redis,
          rooms: now.rooms,
          connections: now.connections,
          uptimeSeconds: now.uptimeSeconds,
        }),
      );
      return;
    }
    if (path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(renderMetrics(now.metrics()));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('lottie-sync relay: WebSocket on this port; /health and /metrics over HTTP.\n');
  };
}
