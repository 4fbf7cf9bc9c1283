import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncErrorEvent } from '../../src/events.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import {
  ANIMATIONS,
  BAR,
  barFrameOn,
  canvasOf,
  drawnByWorker,
  frames,
  playersOf,
  readyOf,
  sampleFrames,
  shownOf,
  waitUntil,
  withWarnings,
} from '../helpers.js';

const BOX = 'width:100px;height:100px';

function bars(count: number, extra = '') {
  return Array.from({ length: count }, () => html`<lottie-sync-player src=${BAR} loop style=${BOX + extra}></lottie-sync-player>`);
}

/**
 * Waits until the frames move on and every player has been seen showing, in its
 * pixels, the frame it reports. Each player is checked on its own: while they
 * play, the canvases of two workers may commit a display frame apart (README,
 * "Shards"), so all of them at one instant is a matter of luck under load.
 */
async function drawsInStep(players: LottieSyncPlayer[]): Promise<void> {
  const start = players[0]!.currentFrame;
  await waitUntil(() => players[0]!.currentFrame !== start, 'frames advance', { timeout: 5000 });
  const seen = new Set<LottieSyncPlayer>();
  await waitUntil(() => {
    for (const player of players) {
      const canvas = shownOf(player);
      if (canvas && barFrameOn(canvas) === player.currentFrame) seen.add(player);
    }
    return seen.size === players.length;
  }, 'pixels show the reported frame');
}

describe('render worker', () => {
  it('starts with the first player, keeps its worker when the stage moves in the DOM, and ends it when the stage is removed', async () => {
    const host = await fixture<HTMLDivElement>(
      html`<div>
        <div class="a"><lottie-sync-stage autoplay loop render="workers">${bars(3)}</lottie-sync-stage></div>
        <div class="b"></div>
      </div>`,
    );
    const stage = host.querySelector<LottieSyncStage>('lottie-sync-stage')!;
    expect(stage.metrics.workers, 'no worker before a player needs one').to.equal(0);
    await readyOf(stage);
    expect(stage.metrics.workers).to.equal(1);
    const players = playersOf(stage);
    await drawsInStep(players);

    host.querySelector('.b')!.append(stage);
    await frames(5);
    expect(stage.metrics.workers, 'still one worker after the move').to.equal(1);
    expect(stage.metrics.workersStarted, 'and the same one').to.equal(1);
    await drawsInStep(playersOf(stage));

    stage.remove();
    await waitUntil(() => stage.metrics.workers === 0, 'the removed stage ends its worker', { timeout: 2000 });
    // Back in the document, it starts one again and draws.
    host.append(stage);
    await waitUntil(() => stage.metrics.workers === 1, 'a worker again', { timeout: 5000 });
    await drawsInStep(playersOf(stage));
    expect(stage.metrics.workersStarted).to.equal(2);
  });

  it('answers once per tick: players report the frame the worker drew, one file rendered once per frame', async () => {
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage autoplay loop render="workers">${bars(6)}</lottie-sync-stage>`);
    await readyOf(stage);
    const players = playersOf(stage);
    await drawsInStep(players);
    let worst = 0;
    await sampleFrames(1000, () => {
      worst = Math.max(worst, new Set(players.map((p) => p.currentFrame)).size - 1);
    });
    expect(worst, 'distinct frames among players').to.equal(0);
    const { metrics } = stage;
    expect(metrics.renderers, 'one lottie-web instance for six players').to.equal(1);
    expect(metrics.framesDrawnPerSecond).to.be.greaterThan(metrics.rendersPerSecond);
    expect(metrics.workerDrawTimeP95).to.be.greaterThan(0);
  });

  it('places players on several shards (shard-size) and keeps them on the same frame across shards', async () => {
    const dalek = `${ANIMATIONS}/dalek.json`;
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage autoplay loop render="workers" workers="3" shard-size="4">
        ${bars(6, ';width:40px;height:40px')}
        ${Array.from({ length: 4 }, () => html`<lottie-sync-player src=${dalek} style="width:40px;height:40px"></lottie-sync-player>`)}
      </lottie-sync-stage>`,
    );
    await readyOf(stage);
    expect(stage.metrics.workers).to.equal(3);
    const players = playersOf(stage);
    const barPlayers = players.slice(0, 6);
    await drawsInStep(barPlayers);
    let worst = 0;
    await sampleFrames(1000, () => {
      worst = Math.max(worst, new Set(barPlayers.map((p) => p.currentFrame)).size - 1);
    });
    expect(worst, 'bar players on two shards show one frame').to.equal(0);
    expect(players.slice(6).every((p) => p.currentFrame >= 0)).to.equal(true);
  });

  it('ends the workers over a lowered limit; their players move to the others', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage autoplay loop render="workers" workers="3" shard-size="2"
        >${bars(6, ';width:40px;height:40px')}</lottie-sync-stage
      >`,
    );
    await readyOf(stage);
    expect(stage.metrics.workers).to.equal(3);
    stage.workers = 1;
    await waitUntil(() => stage.metrics.workers === 1, 'one worker left');
    const players = playersOf(stage);
    await drawsInStep(players);
    expect(stage.metrics.playersDrawing).to.equal(6);
    expect(stage.metrics.workersStarted).to.equal(3);
  });

  it('splits a shard that grows past its size, moving players without losing their place', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage autoplay loop render="workers" workers="2">${bars(8, ';width:40px;height:40px')}</lottie-sync-stage>`,
    );
    await readyOf(stage);
    expect(stage.metrics.workers).to.equal(1);
    stage.shardSize = 4;
    await waitUntil(() => stage.metrics.workers === 2, 'a second shard', { timeout: 5000 });
    const players = playersOf(stage);
    // The moved players draw once the new worker has built their file: every player's frames advance.
    const starts = players.map((p) => p.currentFrame);
    await waitUntil(() => stage.metrics.playersDrawing === 8 && players.every((p, i) => p.currentFrame !== starts[i]), 'frames advance', {
      timeout: 10000,
    });
    let worst = 0;
    await sampleFrames(1000, () => {
      worst = Math.max(worst, new Set(players.map((p) => p.currentFrame)).size - 1);
    });
    expect(worst).to.equal(0);
    expect(stage.metrics.playersDrawing).to.equal(8);
    // At rest, every player of both workers shows its reported frame, and all the same one (while
    // playing, Firefox under load can update a worker canvas's picture more than a frame late).
    stage.pause();
    await waitUntil(
      () =>
        new Set(players.map((p) => p.currentFrame)).size === 1 &&
        players.every((p) => {
          const canvas = canvasOf(p);
          return canvas !== null && canvas !== undefined && barFrameOn(canvas) === p.currentFrame;
        }),
      'paused, every player shows the same reported frame',
    );
  });

  it('steps the rate, then the pixel ratio, down when the worker is over budget, and back up when it is not', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage autoplay loop render="workers" fps="auto" worker-url="/test/fixtures/slow-worker.js"
        >${bars(4)}</lottie-sync-stage
      >`,
    );
    const ratios: number[] = [];
    stage.addEventListener('lottie-sync-qualitychange', (event) => ratios.push(event.pixelRatio));
    await readyOf(stage);
    expect(stage.metrics.workers).to.equal(1);
    await waitUntil(() => ratios.includes(0.75), 'the pixel ratio steps down', { timeout: 20000, interval: 200 });
    expect(stage.tier.fps, 'only after the lowest rate').to.equal(5);
    await waitUntil(() => stage.metrics.pixelRatio === 1 && stage.tier.fps > 5, 'back up when the worker is fast again', {
      timeout: 20000,
      interval: 200,
    });
    await drawsInStep(playersOf(stage));
  });

  it('falls back to the main thread when a worker crashes: an error event, and every player keeps playing', async () => {
    await withWarnings(async (warnings) => {
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage autoplay loop render="workers" worker-url="/test/fixtures/crashing-worker.js"
          >${bars(4)}</lottie-sync-stage
        >`,
      );
      const failed = oneEvent(stage, 'lottie-sync-error') as Promise<LottieSyncErrorEvent>;
      await readyOf(stage);
      const error = await failed;
      expect(error.code).to.equal('worker-failed');
      expect(error.message).to.contain('crashed on purpose');
      expect(warnings.join('\n')).to.contain('drawing on the main thread');
      expect(stage.metrics.workers).to.equal(0);
      const players = playersOf(stage);
      await drawsInStep(players);
      // Main-thread canvases now: the page can read them directly.
      expect(drawnByWorker(canvasOf(players[0]!)!)).to.equal(false);
      expect(stage.metrics.playersDrawing).to.equal(4);
    });
  });

  it('falls back when the worker cannot start (a worker-url that is not there)', async () => {
    await withWarnings(async () => {
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage autoplay loop render="workers" worker-url="/test/fixtures/no-such-worker.js"
          >${bars(2)}</lottie-sync-stage
        >`,
      );
      const failed = oneEvent(stage, 'lottie-sync-error') as Promise<LottieSyncErrorEvent>;
      expect((await failed).code).to.equal('worker-failed');
      await drawsInStep(playersOf(stage));
      expect(stage.metrics.workers).to.equal(0);
    });
  });

  it('draws on the main thread with render="main", or where the browser cannot draw in a worker', async () => {
    const main = await fixture<LottieSyncStage>(html`<lottie-sync-stage autoplay loop render="main">${bars(2)}</lottie-sync-stage>`);
    await readyOf(main);
    await drawsInStep(playersOf(main));
    expect(main.metrics.workers).to.equal(0);

    const prototype = HTMLCanvasElement.prototype as Partial<HTMLCanvasElement>;
    const transfer = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, 'transferControlToOffscreen')!;
    delete prototype.transferControlToOffscreen;
    try {
      const old = await fixture<LottieSyncStage>(html`<lottie-sync-stage autoplay loop render="workers">${bars(2)}</lottie-sync-stage>`);
      await readyOf(old);
      await drawsInStep(playersOf(old));
      expect(old.metrics.workers).to.equal(0);
    } finally {
      Object.defineProperty(HTMLCanvasElement.prototype, 'transferControlToOffscreen', transfer);
    }
  });

  it('draws a file with text set in fonts on the main thread, also when a player switches to it', async () => {
    // banner.json without its glyph outlines (`chars`): lottie-web measures its fonts in the document.
    const data = (await (await fetch(`${ANIMATIONS}/banner.json`)).json()) as Record<string, unknown>;
    delete data.chars;
    const fonts = URL.createObjectURL(new Blob([JSON.stringify(data)], { type: 'application/json' }));
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage autoplay loop render="workers">${bars(2)}</lottie-sync-stage>`);
    await readyOf(stage);
    const [player, other] = playersOf(stage);
    expect(drawnByWorker(canvasOf(player!)!)).to.equal(true);
    const loaded = oneEvent(player!, 'lottie-sync-load');
    player!.src = fonts;
    await loaded;
    await waitUntil(() => canvasOf(player!) !== null, 'the text file draws', { timeout: 10000 });
    expect(drawnByWorker(canvasOf(player!)!), 'a main-thread canvas').to.equal(false);
    expect(stage.metrics.workers, 'the other player still draws in the worker').to.equal(1);
    expect(drawnByWorker(canvasOf(other!)!)).to.equal(true);
    await drawsInStep([other!]);
  });

  it('moves every player when render changes at run time, and rejects a bad value', async () => {
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage autoplay loop render="workers">${bars(3)}</lottie-sync-stage>`);
    await readyOf(stage);
    expect(stage.metrics.workers).to.equal(1);
    stage.setAttribute('render', 'main');
    await waitUntil(() => stage.metrics.workers === 0, 'workers end');
    await drawsInStep(playersOf(stage));
    expect(drawnByWorker(canvasOf(playersOf(stage)[0]!)!)).to.equal(false);
    await withWarnings(async (warnings) => {
      const rejected = oneEvent(stage, 'lottie-sync-error') as Promise<LottieSyncErrorEvent>;
      stage.setAttribute('render', 'gpu');
      expect((await rejected).code).to.equal('invalid-attribute');
      expect(warnings.join('\n')).to.contain('render="gpu"');
    });
    await waitUntil(() => stage.metrics.workers === 1, 'back to the worker (auto)');
    await drawsInStep(playersOf(stage));
  });

  it('a stage mounted again and again (a single-page app) reuses the canvases already handed to its worker', async () => {
    const transfer = HTMLCanvasElement.prototype.transferControlToOffscreen;
    let transferred = 0;
    HTMLCanvasElement.prototype.transferControlToOffscreen = function (this: HTMLCanvasElement) {
      transferred += 1;
      return transfer.call(this);
    };
    try {
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      const counts: number[] = [];
      for (let cycle = 0; cycle < 4; cycle += 1) {
        const stage = document.createElement('lottie-sync-stage');
        // Workers drawing into the players' canvases are kept for the next stage (a surface is its stage's own).
        stage.renderMode = 'workers';
        stage.autoplay = true;
        stage.loop = true;
        for (let i = 0; i < 20; i += 1) {
          const player = document.createElement('lottie-sync-player');
          player.src = BAR;
          player.style.cssText = BOX;
          stage.append(player);
        }
        host.append(stage);
        await readyOf(stage);
        await drawsInStep(playersOf(stage));
        counts.push(transferred);
        stage.remove();
        await waitUntil(() => stage.metrics.workers === 0, 'the removed stage lets its worker go', { timeout: 2000 });
      }
      // The players in view (the others are culled) get canvases on the first mount; later mounts hand over none.
      expect(counts[0]).to.be.greaterThan(0);
      expect(counts, 'canvases handed to workers after each mount').to.deep.equal([counts[0], counts[0], counts[0], counts[0]]);
    } finally {
      HTMLCanvasElement.prototype.transferControlToOffscreen = transfer;
    }
  });
});
