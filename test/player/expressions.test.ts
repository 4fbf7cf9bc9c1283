// A file's expressions are code. Whatever the stage does (workers, the main
// thread, a crashed worker, files that need a document), they never run where
// they could reach the page: its globals, its cookies or the network. Only a
// stage that trusts its files (expressions="page") lets them.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncErrorEvent } from '../../src/events.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import {
  BAR,
  barFrameOn,
  barWithExpression,
  sandboxUnloadCrashes,
  canvasOf,
  shownOf,
  surfaceOf,
  counted,
  requestCount,
  readsUntil,
  sampleFrames,
  waitUntil,
  withWarnings,
} from '../helpers.js';

const BOX = 'width:100px;height:100px';

declare global {
  var __lottieSyncPwned: string | undefined;
}

/**
 * The bar fixture whose position carries an expression that calls home with
 * the page's cookie and writes a global, then keeps the keyframed value (so it
 * draws the same frames). `matte`: it is a luma matte too (needs a document).
 */
async function hostileBar(beacon: string, { matte = false } = {}): Promise<string> {
  const data = (await (await fetch(BAR)).json()) as { layers: Record<string, unknown>[] };
  const layer = data.layers[0]!;
  const code = [
    'var $bm_rt = value;',
    // lottie-web hides `fetch`, `window` and `document` behind local names; `self` reaches past them.
    `try { self.fetch(${JSON.stringify(beacon)}); } catch (e) {}`,
    "try { (self.top || self).__lottieSyncPwned = 'ran: ' + self.document.cookie; } catch (e) {}",
    "try { self.__lottieSyncPwned = 'ran'; } catch (e) {}",
  ].join('\n');
  ((layer.ks as Record<string, Record<string, unknown>>).p as Record<string, unknown>).x = code;
  if (matte)
    data.layers = [
      { ...layer, ind: 2, td: 1 },
      { ...layer, tt: 3 },
    ];
  return URL.createObjectURL(new Blob([JSON.stringify(data)], { type: 'application/json' }));
}

/** The bar fixture with an expression that takes `ms` to evaluate (a heavy file): each frame the sandbox draws takes that long. */
function slowBar(ms: number): Promise<string> {
  return barWithExpression(`var $bm_rt = value; var until = Date.now() + ${ms}; while (Date.now() < until) {}`);
}

async function stageOf(attributes: string, src: string): Promise<{ stage: LottieSyncStage; player: LottieSyncPlayer }> {
  const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage .innerHTML=${''}></lottie-sync-stage>`);
  for (const pair of attributes.split(' ').filter(Boolean)) {
    const [name, value] = pair.split('=');
    stage.setAttribute(name!, value ?? '');
  }
  await stage.updateComplete;
  const player = document.createElement('lottie-sync-player');
  player.src = src;
  player.style.cssText = BOX;
  stage.append(player);
  return { stage, player };
}

/** Draws a few frames of the player and checks that it shows the bar where the keyframes put it. */
async function drawsFrames(stage: LottieSyncStage, player: LottieSyncPlayer): Promise<void> {
  for (const frame of [4, 17]) {
    stage.seek(frame / 30);
    await waitUntil(() => player.currentFrame === frame && barFrameOn(shownOf(player)!) === frame, `shows frame ${frame}`, {
      timeout: 10000,
    });
  }
}

// Many stages draw in the one sandbox here: WebKitGTK's page process would crash at unload (see helpers.ts).
before(function () {
  if (sandboxUnloadCrashes) this.skip();
});

describe("expressions never run with the page's authority", () => {
  beforeEach(() => {
    globalThis.__lottieSyncPwned = undefined;
    document.cookie = 'lottie-sync-secret=1';
  });

  for (const attributes of ['', 'render=main']) {
    it(`in the default mode they run in the sandbox: the file plays, the page is untouched (${attributes || 'render=auto'})`, async () => {
      const beacon = counted('/test/fixtures/bar.json?beacon');
      const { stage, player } = await stageOf(attributes, await hostileBar(beacon));
      await drawsFrames(stage, player);
      expect(player.state).to.equal('playing');
      expect(globalThis.__lottieSyncPwned, 'a page global').to.equal(undefined);
      expect(await requestCount(beacon), 'requests from the expression').to.equal(0);
    });
  }

  it('a file that needs a document (a luma matte) is drawn without its expressions, and the page is told', async () => {
    await withWarnings(async () => {
      const beacon = counted('/test/fixtures/bar.json?beacon');
      const src = await hostileBar(beacon, { matte: true });
      const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage></lottie-sync-stage>`);
      const player = document.createElement('lottie-sync-player');
      player.src = src;
      player.style.cssText = BOX;
      const told = oneEvent(stage, 'lottie-sync-error') as Promise<LottieSyncErrorEvent>;
      stage.append(player);
      const event = await told;
      expect(event.code).to.equal('expressions-disabled');
      expect(event.fatal).to.equal(false);
      await waitUntil(() => player.currentFrame >= 0, 'draws');
      expect(globalThis.__lottieSyncPwned).to.equal(undefined);
      expect(await requestCount(beacon)).to.equal(0);
    });
  });

  it('after a render worker crashes, the players moved to the main thread still never run them', async () => {
    await withWarnings(async () => {
      const beacon = counted('/test/fixtures/bar.json?beacon');
      const src = await hostileBar(beacon);
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage autoplay loop worker-url="/test/fixtures/crashing-worker.js"></lottie-sync-stage>`,
      );
      // Every error, from before the first player: the crash and the sandbox's refusal may come in either order.
      const codes: string[] = [];
      stage.addEventListener('lottie-sync-error', (event) => codes.push((event as LottieSyncErrorEvent).code));
      const bar = document.createElement('lottie-sync-player');
      bar.src = BAR;
      bar.style.cssText = BOX;
      const player = document.createElement('lottie-sync-player');
      player.src = src;
      player.style.cssText = BOX;
      stage.append(bar, player);
      await waitUntil(() => codes.includes('worker-failed'), 'the render worker fails');
      stage.pause();
      await drawsFrames(stage, player);
      expect(globalThis.__lottieSyncPwned).to.equal(undefined);
      expect(await requestCount(beacon)).to.equal(0);
    });
  });

  it('expressions="off" draws files without them and says so', async () => {
    await withWarnings(async () => {
      const beacon = counted('/test/fixtures/bar.json?beacon');
      const { stage, player } = await stageOf('expressions=off', await hostileBar(beacon));
      const event = (await oneEvent(stage, 'lottie-sync-error')) as LottieSyncErrorEvent;
      expect(event.code).to.equal('expressions-disabled');
      expect(event.message).to.contain('expressions="off"');
      await drawsFrames(stage, player);
      expect(await requestCount(beacon)).to.equal(0);
    });
  });

  it('expressions="page" runs them on the page, for pages that trust their files (the control: this test can see them run)', async () => {
    const beacon = counted('/test/fixtures/bar.json?beacon');
    const { stage, player } = await stageOf('expressions=page', await hostileBar(beacon));
    await drawsFrames(stage, player);
    expect(globalThis.__lottieSyncPwned).to.contain('ran');
    await waitUntil(async () => (await requestCount(beacon)) > 0, 'the expression called home');
  });
});

describe('a file whose expressions are slow', () => {
  it('does not hold back the other players: they show their frames while it shows fewer, on the same timeline', async () => {
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage autoplay loop></lottie-sync-stage>`);
    const [bar, slow] = [BAR, await slowBar(400)].map((src) => {
      const player = document.createElement('lottie-sync-player');
      player.src = src;
      player.style.cssText = BOX;
      return player;
    }) as [LottieSyncPlayer, LottieSyncPlayer];
    stage.append(bar, slow);
    await waitUntil(() => bar.currentFrame >= 0 && slow.currentFrame >= 0, 'both draw', { timeout: 20000 });
    const seen = { bar: new Set<number>(), slow: new Set<number>() };
    await sampleFrames(2000, () => {
      seen.bar.add(bar.currentFrame);
      seen.slow.add(slow.currentFrame);
    });
    expect(seen.slow.size, 'the slow file still plays').to.be.greaterThan(1);
    expect(seen.bar.size, `distinct frames shown: the other player ${seen.bar.size}, the slow one ${seen.slow.size}`).to.be.greaterThan(
      2 * seen.slow.size,
    );
    // Paused, the slow one catches up to the same frame.
    stage.pause();
    await waitUntil(
      () => slow.currentFrame === bar.currentFrame && barFrameOn(shownOf(slow)!) === slow.currentFrame,
      'both show one frame at rest',
      { timeout: 10000 },
    );
  });
});

describe('files with expressions as the stage changes', () => {
  it('draw again after the stage leaves the page and comes back, and when render changes at run time', async () => {
    const src = await barWithExpression();
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage></lottie-sync-stage>`);
    const player = document.createElement('lottie-sync-player');
    player.src = src;
    player.style.cssText = BOX;
    stage.append(player);
    const shows = async (frame: number, what: string) => {
      await waitUntil(() => player.currentFrame >= 0, `${what}: loaded`, { timeout: 20000 });
      stage.seekToFrame(frame);
      // On failure, say what the page showed: the player's frame, the one on screen, and where it is drawn.
      const read = () => {
        const canvas = shownOf(player);
        return {
          currentFrame: player.currentFrame,
          shown: canvas ? barFrameOn(canvas) : 'no canvas',
          on: canvas === canvasOf(player) ? 'its own canvas' : surfaceOf(stage) ? 'the surface' : 'no surface shown',
          sandboxed: stage.metrics.playersSandboxed,
          workers: stage.metrics.workers,
        };
      };
      await readsUntil(read, (state) => state.currentFrame === frame && state.shown === frame, what);
    };
    await shows(6, 'drawn in the sandbox, shown by the render worker');
    expect(stage.metrics.playersSandboxed).to.equal(1);
    const parent = stage.parentElement!;
    stage.remove();
    parent.append(stage);
    await shows(11, 'drawn again after the stage came back');
    stage.setAttribute('render', 'main');
    await shows(16, 'drawn with render="main" (the page copies the frames)');
    expect(stage.metrics.workers).to.equal(0);
    stage.setAttribute('render', 'auto');
    await shows(21, 'and back in a render worker');
    expect(stage.metrics.playersSandboxed).to.equal(1);
  });
});
