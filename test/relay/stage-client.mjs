// A stage's sync exactly as the browser runs it (TimelineSync over
// RelayTransport, from the build in dist/), in Node, with a timeline that
// records what it is told. For the fault tests: what the stages show is what
// is asserted.
import WebSocket from 'ws';

/** Every frame the stages in this process sent, in order (parsed), for tests that count what a client sends. */
export const framesSent = [];

/** Browsers report a failed connection as an event; ws would throw without an error listener. */
class BrowserLikeWebSocket extends WebSocket {
  constructor(...args) {
    super(...args);
    this.on('error', () => {});
  }

  send(data, ...rest) {
    framesSent.push(JSON.parse(data));
    super.send(data, ...rest);
  }
}
globalThis.WebSocket ??= BrowserLikeWebSocket;
globalThis.document ??= { hidden: false, addEventListener() {}, removeEventListener() {} };

const { TimelineSync } = await import('../../dist/sync/timeline-sync.js');
const { RelayTransport } = await import('../../dist/sync/relay-transport.js');

/**
 * A stage in `room`, reaching the relays at `urls`. `seek(position)` is a
 * local change (paused at `position`, as a person scrubbing); `position` is
 * what the stage shows; `positions` every position it was told to show, in
 * order; `overrides` the positions it was told that differ from its own last
 * change (for a room's only leader, a rollback).
 */
export function stageClient({ urls, room, role = 'follower', token, name }) {
  let shown = { vector: { position: 0, velocity: 0, timestamp: performance.now() }, rate: 1, playing: false };
  let mine = null;
  const positions = [];
  const overrides = [];
  const errors = [];
  const transport = new RelayTransport({ urls, room, role, token, sender: name, onError: (code) => errors.push(code) });
  const target = {
    snapshot: () => shown,
    apply: (state) => {
      shown = state;
      positions.push(state.vector.position);
      if (mine !== null && state.vector.position !== mine) overrides.push(state.vector.position);
    },
  };
  const sync = new TimelineSync(transport, target, { sender: name, ordered: true });
  return {
    name,
    positions,
    overrides,
    errors,
    get position() {
      return shown.vector.position;
    },
    get connected() {
      return transport.connected;
    },
    seek(position) {
      mine = position;
      shown = { vector: { position, velocity: 0, timestamp: performance.now() }, rate: 1, playing: false };
      sync.publish();
    },
    close: () => sync.close(),
  };
}

/** Whether `positions` never goes back (the tests' leaders only ever seek forward). */
export function neverBack(positions) {
  return positions.every((p, i) => i === 0 || p >= positions[i - 1]);
}
