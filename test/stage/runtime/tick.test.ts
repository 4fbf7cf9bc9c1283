// The tick with the parts it drives, on the main thread, against a fake host:
// what each player is told (its frames, its canvas) is what a person would see.
import { expect } from '@open-wc/testing';
import type { LottieSyncError } from '../../../src/errors.js';
import { Backends } from '../../../src/stage/runtime/backends.js';
import { Canvases } from '../../../src/stage/runtime/canvases.js';
import { DrawRate } from '../../../src/stage/runtime/draw-rate.js';
import { Timelines } from '../../../src/stage/runtime/timelines.js';
import { Loading } from '../../../src/stage/runtime/loading.js';
import { Playback } from '../../../src/stage/runtime/playback.js';
import type { StagePlayer } from '../../../src/stage/runtime/stage-player.js';
import { Tick } from '../../../src/stage/runtime/tick.js';
import { Viewport } from '../../../src/stage/runtime/viewport.js';
import { barFrameOn, waitUntil } from '../../helpers.js';
import { FakeCache, FakeHost, fakePlayer } from './fakes.js';

function stage() {
  const host = new FakeHost();
  const cache = new FakeCache();
  const players = new Set<StagePlayer>();
  const playback = new Playback(host, { specs: () => [...players].flatMap((p) => (p.load.spec ? [p.load.spec] : [])), changed: () => {} });
  const loading: Loading = new Loading(host, cache.asCache(), {
    arrived: (player) => {
      loading.finish(player);
      canvases.lease(player);
    },
    dropped: (player) => {
      canvases.dropRenderer(player);
      canvases.sync(player);
    },
    respecified: (player) => player.surface.invalidate(),
  });
  const drawRate = new DrawRate(host, () => players.size);
  const timelines = new Timelines(host, playback.coordinator, () => drawRate.tierFps);
  const viewport = new Viewport(
    host,
    () => undefined,
    () => {},
  );
  const backends: Backends = new Backends(host, {
    returnCanvas: (player) => canvases.giveBack(player),
    syncCanvas: (player) => canvases.sync(player),
    evict: (player) => canvases.evict(player),
    failed: (player, error) => loading.fail(player, error),
  });
  backends.renderMode = 'main';
  const canvases: Canvases = new Canvases(host, backends, {
    queueLease: (player) => canvases.lease(player),
    failed: (player, error) => loading.fail(player, error),
    registered: (player) => players.has(player),
  });
  const parts = { playback, loading, timelines, viewport, canvases, backends, drawRate };
  const events = {
    failed: (player: StagePlayer, error: LottieSyncError) => loading.fail(player, error),
    pixelScale: (scale: number) => viewport.setPixelScale(scale, players),
    passed: () => {},
  };
  const tick = new Tick(
    host,
    parts,
    events,
    () => players,
    (now) => now,
    () => false,
  );
  /** A player of the bar fixture with a 50 x 50 box, in view. */
  const add = async (config = {}) => {
    const player = fakePlayer({ src: `https://x.test/bar.json?${players.size}`, loop: true, ...config });
    players.add(player);
    player.box.measured = player.box.placed = player.box.visible = true;
    player.box.cssWidth = player.box.cssHeight = player.box.width = player.box.height = 50;
    loading.update(player, true);
    await cache.settled();
    await waitUntil(() => player.surface.renderKey !== null, 'its renderer is ready');
    return player;
  };
  return { host, players, tick, parts, add };
}

describe('Tick (runtime part, main thread)', () => {
  it('draws every player the frame of the one timestamp, shows each canvas from its first frame, and skips unchanged frames', async () => {
    const { host, tick, parts, add } = stage();
    const [a, b] = [await add(), await add({ direction: -1 })];
    expect(a.view.mounted, 'no canvas shown before its first frame').to.deep.equal([]);
    parts.playback.seek(10 / 30);
    tick.run(host.now);
    expect([a.view.frames, b.view.frames]).to.deep.equal([[10], [19]]);
    expect(a.view.mounted).to.have.length(1);
    expect(barFrameOn(a.view.mounted[0]!)).to.equal(10);
    tick.run(host.now + 5);
    expect(a.view.frames, 'the same frame is not drawn again').to.deep.equal([10]);
    parts.playback.play();
    host.now += 100;
    tick.run(host.now);
    expect(a.view.frames.at(-1)).to.equal(13);
    expect(parts.drawRate.recorder.summary(host.now).framesDrawnPerSecond).to.equal(4);
  });

  it('shows at most 16 canvases for the first time per tick; the rest wait for the next', async () => {
    const { host, tick, add } = stage();
    const players: StagePlayer[] = [];
    for (let i = 0; i < 20; i += 1) players.push(await add());
    expect(tick.run(host.now), 'wants another tick').to.equal(true);
    expect(players.filter((p) => p.surface.drawn)).to.have.length(16);
    tick.run(host.now + 1);
    expect(players.every((p) => p.surface.drawn)).to.equal(true);
  });

  it('draws a renderer once per frame for many players of one file and size', async () => {
    const { host, tick, parts, add } = stage();
    const players: Awaited<ReturnType<typeof add>>[] = [];
    for (let i = 0; i < 5; i += 1) players.push(await add({ src: 'https://x.test/same.json' }));
    tick.run(host.now);
    expect(parts.backends.main.rendererCount).to.equal(1);
    expect(parts.drawRate.recorder.summary(host.now).rendersPerSecond).to.equal(1);
    expect(players.map((p) => p.view.frames[0])).to.deep.equal([0, 0, 0, 0, 0]);
  });

  it('gives a canvas back when the player leaves the viewport, and draws the current frame when it is back', async () => {
    const { host, tick, parts, add } = stage();
    const player = await add();
    tick.run(host.now);
    player.box.visible = false;
    parts.canvases.sync(player);
    expect(player.surface.canvas).to.equal(null);
    expect(player.view.mounted.at(-1)).to.equal(null);
    expect(parts.canvases.counts).to.deep.equal({ leased: 0, idle: 1 });
    parts.playback.seek(7 / 30);
    player.box.visible = true;
    parts.canvases.sync(player);
    await waitUntil(() => player.surface.renderKey !== null);
    tick.run(host.now + 50);
    expect(player.view.frames.at(-1)).to.equal(7);
  });
});
