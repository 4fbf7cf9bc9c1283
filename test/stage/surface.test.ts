import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../src/define.js';
import type { LottieSyncErrorEvent } from '../../src/events.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import {
  BAR,
  barFrameOn,
  barWithExpression,
  canvasOf,
  drawnByWorker,
  frames,
  playersOf,
  readsUntil,
  readyOf,
  sandboxUnloadCrashes,
  regionOf,
  shownOf,
  surfaceOf,
  waitUntil,
  withWarnings,
} from '../helpers.js';

const BOX = 'width:100px;height:100px';

function surfacesShown(stage: LottieSyncStage): number {
  return stage.shadowRoot!.querySelectorAll('canvas[part=surface]:not([hidden])').length;
}

/** The bar fixture's frame the surface shows where `player` is (null: no bar there). */
function frameOnSurface(stage: LottieSyncStage, player: Element): number | null {
  return barFrameOn(regionOf(stage, player.getBoundingClientRect()));
}

async function surfaceStage(count: number, layout = 'display:flex;gap:10px') {
  const stage = await fixture<LottieSyncStage>(
    html`<lottie-sync-stage render="surface" loop style=${layout}>
      ${Array.from({ length: count }, () => html`<lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player>`)}
    </lottie-sync-stage>`,
  );
  await readyOf(stage);
  return { stage, players: playersOf(stage) as LottieSyncPlayer[] };
}

describe('render="surface": one canvas under the stage', () => {
  it('draws every player into the one surface, each at its place and on its frame', async () => {
    const { stage, players } = await surfaceStage(3);
    stage.seekToFrame(12);
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 12), 'each place shows frame 12');
    expect(players.map((p) => p.currentFrame)).to.deep.equal([12, 12, 12]);
    // The stage shows one surface, and the players' own canvases hold no pixels.
    expect(surfacesShown(stage)).to.equal(1);
    for (const player of players) expect(canvasOf(player)?.width ?? 0).to.equal(0);
    // Between the players the surface is empty.
    const first = players[0]!.getBoundingClientRect();
    const gap = new DOMRect(first.right + 1, first.top, 8, first.height);
    expect(barFrameOn(regionOf(stage, gap))).to.equal(null);
  });

  it('plays: every place shows the frame its player reports, and the frames move on', async () => {
    const { stage, players } = await surfaceStage(4);
    stage.play();
    const start = players[0]!.currentFrame;
    await waitUntil(() => players[0]!.currentFrame !== start, 'frames advance');
    stage.pause();
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === p.currentFrame), 'the surface shows the reported frames');
  });

  it('a player that moves is drawn at its new place, and its old place is cleared, also while paused', async () => {
    const { stage, players } = await surfaceStage(2, 'display:block');
    stage.seekToFrame(20);
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 20), 'both drawn');
    const before = players[0]!.getBoundingClientRect();
    const spacer = document.createElement('div');
    spacer.style.height = '150px';
    stage.prepend(spacer);
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 20), 'drawn at the new places');
    // Where the first player was is now the spacer: nothing is drawn there.
    await waitUntil(() => barFrameOn(regionOf(stage, before)) === null, 'the old place is cleared');
  });

  it('a file with expressions, drawn in the sandbox, is a tile of the surface too: on its frame, and again where it moves', async function () {
    // With the next test, two stages in the one sandbox: WebKitGTK's page process would crash at unload (see helpers.ts).
    if (sandboxUnloadCrashes) this.skip();
    const src = await barWithExpression();
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage render="surface" style="display:block">
        <lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player>
        <lottie-sync-player src=${src} style=${BOX}></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    await readyOf(stage);
    const players = playersOf(stage);
    expect(stage.metrics.playersSandboxed).to.equal(1);
    stage.seekToFrame(14);
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 14), 'both places show frame 14');
    expect(surfacesShown(stage)).to.equal(1);
    for (const player of players) expect(canvasOf(player)?.width ?? 0, 'no canvas of its own').to.equal(0);
    // Paused, the sandboxed tile moves: the surface draws it again at its new place from the frame it keeps.
    const spacer = document.createElement('div');
    spacer.style.height = '130px';
    stage.prepend(spacer);
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 14), 'drawn at the new places');
  });

  it('players the surface cannot show (a background between them and the stage) draw into canvases of their own in the worker, and come back', async function () {
    if (sandboxUnloadCrashes) this.skip();
    const withExpression = await barWithExpression();
    await withWarnings(async (warnings) => {
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage render="surface" style="display:flex;gap:10px">
          <lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player>
          <div class="card" style="background:white;padding:4px"><lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player></div>
          <div class="card" style="background:white;padding:4px">
            <lottie-sync-player src=${withExpression} style=${BOX}></lottie-sync-player>
          </div>
        </lottie-sync-stage>`,
      );
      await readyOf(stage);
      const [open, ...carded] = playersOf(stage) as LottieSyncPlayer[];
      expect(stage.metrics.playersSandboxed).to.equal(1);
      const ownFrame = (player: LottieSyncPlayer) => ((canvasOf(player)?.width ?? 0) > 0 ? barFrameOn(canvasOf(player)!) : null);
      stage.seekToFrame(9);
      await waitUntil(
        () => frameOnSurface(stage, open!) === 9 && carded.every((player) => ownFrame(player) === 9),
        'the open player on the surface, the others (one drawn in the sandbox) on canvases of their own, all on frame 9',
      );
      expect(canvasOf(open!)?.width ?? 0).to.equal(0);
      // The surface's worker draws them (the main thread stays free).
      for (const player of carded) expect(drawnByWorker(canvasOf(player)!)).to.equal(true);
      expect(warnings.join('\n')).to.contain('has a background');
      // Without the backgrounds the surface shows them again.
      for (const player of carded) player.parentElement!.style.background = 'none';
      stage.seekToFrame(13);
      await readsUntil(
        () =>
          [open!, ...carded].map((player) => ({
            own: canvasOf(player)?.width ?? 0,
            frame: player.currentFrame,
            surface: frameOnSurface(stage, player),
          })),
        (states) => states.every((state) => state.own === 0 && state.surface === 13),
        'all on the surface, on frame 13',
      );
    });
  });

  it('a player the page hides (visibility: hidden) is not shown, and is shown again on the surface once visible', async () => {
    await withWarnings(async () => {
      const { stage, players } = await surfaceStage(2);
      stage.seekToFrame(4);
      await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 4), 'both drawn');
      const [shown, hidden] = players as [LottieSyncPlayer, LottieSyncPlayer];
      hidden.style.visibility = 'hidden';
      stage.seekToFrame(6);
      await waitUntil(() => frameOnSurface(stage, shown) === 6 && frameOnSurface(stage, hidden) === null, 'only the visible player shows');
      // Its own canvas is hidden with it.
      await frames(3);
      expect(frameOnSurface(stage, hidden)).to.equal(null);
      hidden.style.visibility = '';
      stage.seekToFrame(8);
      await waitUntil(
        () => players.every((p) => frameOnSurface(stage, p) === 8 && (canvasOf(p)?.width ?? 0) === 0),
        'both on the surface again, on frame 8',
      );
    });
  });

  it('a player that leaves the stage leaves nothing on the surface; the others stay', async () => {
    const { stage, players } = await surfaceStage(3);
    stage.seekToFrame(8);
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 8), 'all drawn');
    const gone = players[1]!;
    const place = gone.getBoundingClientRect();
    gone.style.visibility = 'hidden';
    gone.remove();
    // The third player moves into the second's place (flex): wait for the layout to settle on the surface.
    await waitUntil(() => frameOnSurface(stage, players[2]!) === 8 && frameOnSurface(stage, players[0]!) === 8, 'the others are drawn');
    const third = players[2]!.getBoundingClientRect();
    const vacated = new DOMRect(third.right + 1, place.top, place.width, place.height);
    await waitUntil(() => barFrameOn(regionOf(stage, vacated)) === null, 'the last place is cleared');
  });

  it('players whose file goes away (more than a pool keeps at hand) leave nothing on the surface', async () => {
    // Twelve: more canvases come back at once than the pool keeps ready; the rest are kept aside.
    const { stage, players } = await surfaceStage(12, 'display:flex;flex-wrap:wrap;gap:10px;width:700px');
    stage.seekToFrame(8);
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 8), 'all drawn');
    await withWarnings(async () => {
      for (const player of players) player.src = '/test/fixtures/missing.json';
      await waitUntil(() => players.every((p) => p.state === 'error'), 'every player shows its error');
      await readsUntil(
        () => players.map((p) => frameOnSurface(stage, p)),
        (shown) => shown.every((frame) => frame === null),
        'no frame left on the surface',
      );
    });
  });

  it('a stage taller than the viewport holds a surface only near it; players scrolled to are drawn there', async () => {
    const { stage, players } = await surfaceStage(40, 'display:grid;grid-template-columns:100px;gap:10px');
    stage.seekToFrame(9);
    const first = players[0]!;
    const last = players.at(-1)!;
    await waitUntil(() => frameOnSurface(stage, first) === 9, 'the first player is drawn');
    const stageHeight = stage.getBoundingClientRect().height;
    expect(stageHeight).to.be.greaterThan(4000);
    // The surface covers the viewport and a margin, not the stage's 4,400 px.
    expect(surfaceOf(stage)!.getBoundingClientRect().height).to.be.lessThan(innerHeight + 1200);
    expect(frameOnSurface(stage, last)).to.equal(null);
    try {
      last.scrollIntoView();
      await waitUntil(() => frameOnSurface(stage, last) === 9, 'the last player is drawn once scrolled to');
      expect(surfacesShown(stage)).to.equal(1);
      expect(surfaceOf(stage)!.getBoundingClientRect().height).to.be.lessThan(innerHeight + 1200);
      // Playing on, the players in view move on their surface.
      stage.play();
      await waitUntil(() => last.currentFrame !== 9, 'frames advance');
      stage.pause();
      await waitUntil(() => frameOnSurface(stage, last) === last.currentFrame, 'the surface shows the reported frame');
      first.scrollIntoView();
      await waitUntil(() => frameOnSurface(stage, first) === first.currentFrame, 'the first player again, once scrolled back');
    } finally {
      scrollTo(0, 0);
    }
  });

  it('a page-sized stage with one player holds a surface near that player, not over the whole viewport', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage render="surface" style="display:block;height:3000px">
        <lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    await readyOf(stage);
    const [player] = playersOf(stage);
    stage.seekToFrame(11);
    await waitUntil(() => frameOnSurface(stage, player!) === 11, 'drawn on the surface');
    // The player's 100 px and the margins around it (512 px, on a 64 px grid): not the viewport's size and its margin.
    const surface = surfaceOf(stage)!.getBoundingClientRect();
    expect(surface.height).to.be.at.most(704);
    expect(surface.width).to.be.at.most(704);
    // A player added further down is drawn there too (the surface is laid out again over both).
    const second = document.createElement('lottie-sync-player');
    second.setAttribute('src', BAR);
    second.style.cssText = `${BOX};display:block;margin-top:${innerHeight - 250}px`;
    stage.append(second);
    await waitUntil(() => frameOnSurface(stage, second) === 11 && frameOnSurface(stage, player!) === 11, 'both drawn');
    expect(surfacesShown(stage)).to.equal(1);
  });

  it('is the default: a stage without attributes draws its players on one surface', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage loop style="display:flex;gap:10px">
        ${Array.from({ length: 3 }, () => html`<lottie-sync-player src=${BAR} style=${BOX}></lottie-sync-player>`)}
      </lottie-sync-stage>`,
    );
    await readyOf(stage);
    const players = playersOf(stage);
    stage.seekToFrame(6);
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 6), 'each place shows frame 6');
    expect(surfacesShown(stage)).to.equal(1);
    for (const player of players) expect(canvasOf(player)?.width ?? 0).to.equal(0);
    expect(getComputedStyle(stage).isolation).to.equal('isolate');
  });

  for (const [style, why] of [
    ['position:static', 'position: static'],
    ['isolation:auto', 'isolation: auto'],
    ['overflow:auto;height:120px', 'scrolls its content'],
  ] as const) {
    it(`a stage the page styles ${style} draws into canvases of its players (a surface would be misplaced or covered)`, async () => {
      await withWarnings(async (warnings) => {
        const errors: LottieSyncErrorEvent[] = [];
        const stage = document.createElement('lottie-sync-stage') as LottieSyncStage;
        stage.style.cssText = `display:flex;gap:10px;${style}`;
        stage.innerHTML = `<lottie-sync-player src="${BAR}" style="${BOX}"></lottie-sync-player>`.repeat(2);
        stage.addEventListener('lottie-sync-error', (event) => errors.push(event as LottieSyncErrorEvent));
        document.body.append(stage);
        try {
          await readyOf(stage);
          const players = playersOf(stage) as LottieSyncPlayer[];
          stage.seekToFrame(7);
          await waitUntil(
            () => surfaceOf(stage) === null && players.every((p) => (canvasOf(p)?.width ?? 0) > 0 && barFrameOn(canvasOf(p)!) === 7),
            'each player on a canvas of its own, on frame 7',
          );
          expect(warnings.join('\n')).to.contain(why);
          // The default says so on the console only; render="surface", asked for, with an error too.
          expect(errors).to.deep.equal([]);
          const refused = oneEvent(stage, 'lottie-sync-error') as Promise<LottieSyncErrorEvent>;
          stage.renderMode = 'surface';
          const event = await refused;
          expect(event.code).to.equal('invalid-attribute');
          expect(event.message).to.contain(why);
          stage.seekToFrame(9);
          await waitUntil(() => players.every((p) => (canvasOf(p)?.width ?? 0) > 0 && barFrameOn(canvasOf(p)!) === 9), 'still drawn');
        } finally {
          stage.remove();
        }
      });
    });
  }

  it('a stage that scrolls its own content shows the players it scrolls into view', async () => {
    await withWarnings(async () => {
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage style="display:block;height:120px;overflow:auto">
          ${Array.from({ length: 4 }, () => html`<lottie-sync-player src=${BAR} style=${`${BOX};display:block`}></lottie-sync-player>`)}
        </lottie-sync-stage>`,
      );
      await readyOf(stage);
      const last = playersOf(stage).at(-1) as LottieSyncPlayer;
      stage.seekToFrame(5);
      stage.scrollTop = stage.scrollHeight;
      await waitUntil(() => {
        const shown = shownOf(last);
        return shown !== null && shown.width > 0 && barFrameOn(shown) === 5;
      }, 'the last player, scrolled into view, shows frame 5');
    });
  });

  it('a viewport too large for one surface draws into canvases of their own, and says so', async function () {
    // Needs a viewport of over 4,096 x 4,096 device pixels with its margin: the test runner sets
    // one through CDP or WebDriver BiDi (Chromium, Firefox), not through WebKit's WebDriver.
    const [width, height] = [innerWidth, innerHeight];
    const resized = await setViewport({ width: 3800, height: 3800 }).then(
      () => true,
      () => false,
    );
    if (!resized) this.skip();
    try {
      await withWarnings(async (warnings) => {
        const stage = document.createElement('lottie-sync-stage') as LottieSyncStage;
        stage.setAttribute('render', 'surface');
        stage.style.cssText = 'display:block;width:5000px;height:5000px';
        // Players at two far corners: the surface must reach from one to the other.
        stage.innerHTML = `<lottie-sync-player src="${BAR}" style="${BOX}"></lottie-sync-player>
          <lottie-sync-player src="${BAR}" style="${BOX};display:block;margin:3600px 0 0 3600px"></lottie-sync-player>`;
        const refused = oneEvent(stage, 'lottie-sync-error') as Promise<LottieSyncErrorEvent>;
        document.body.append(stage);
        try {
          const event = await refused;
          expect(event.code).to.equal('invalid-attribute');
          expect(event.fatal).to.equal(false);
          expect(event.message).to.contain('render="surface"');
          const player = stage.querySelector('lottie-sync-player') as LottieSyncPlayer;
          stage.seekToFrame(5);
          await waitUntil(() => canvasOf(player) && barFrameOn(canvasOf(player)!) === 5, 'drawn into its own canvas');
          expect(surfaceOf(stage)).to.equal(null);
          expect(warnings.some((warning) => warning.includes('render="surface"'))).to.equal(true);
        } finally {
          stage.remove();
        }
      });
    } finally {
      await setViewport({ width, height });
    }
  });

  it('switching to render="workers" takes the surface away and gives the players canvases of their own', async () => {
    const { stage, players } = await surfaceStage(2);
    stage.seekToFrame(15);
    await waitUntil(() => players.every((p) => frameOnSurface(stage, p) === 15), 'drawn on the surface');
    stage.renderMode = 'workers';
    await waitUntil(() => surfaceOf(stage) === null, 'the surface is gone');
    await waitUntil(() => players.every((p) => canvasOf(p) && barFrameOn(canvasOf(p)!) === 15), 'each in its own canvas');
    stage.renderMode = 'surface';
    await waitUntil(() => surfaceOf(stage) && players.every((p) => frameOnSurface(stage, p) === 15), 'on a surface again');
    await frames(2);
    expect(surfacesShown(stage)).to.equal(1);
  });
});
