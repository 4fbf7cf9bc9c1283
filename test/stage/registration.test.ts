import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { BAR, canvasOf, frames, playersOf, readyOf, shownOf, waitUntil } from '../helpers.js';

const SMALL = 'width:40px;height:40px';

/** A wrapper element that puts its player inside its own shadow root. */
class ShadowWrapper extends HTMLElement {
  connectedCallback(): void {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<div><lottie-sync-player src="${BAR}" style="${SMALL}"></lottie-sync-player></div>`;
  }
}
customElements.define('shadow-wrapper', ShadowWrapper);

describe('registration', () => {
  it('finds the stage through plain wrappers and shadow roots', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage>
        <section>
          <div><lottie-sync-player src=${BAR} style=${SMALL}></lottie-sync-player></div>
        </section>
        <shadow-wrapper></shadow-wrapper>
      </lottie-sync-stage>`,
    );
    await readyOf(stage);
    const inShadow = stage.querySelector('shadow-wrapper')!.shadowRoot!.querySelector<LottieSyncPlayer>('lottie-sync-player')!;
    const inWrapper = stage.querySelector<LottieSyncPlayer>('lottie-sync-player')!;
    expect(inShadow.stage).to.equal(stage);
    expect(inWrapper.stage).to.equal(stage);
    expect(stage.playerCount).to.equal(2);
    stage.seek(0.5);
    await waitUntil(() => inShadow.currentFrame === 15 && inWrapper.currentFrame === 15, 'both follow the stage');
  });

  it('moves a player to another stage, which then drives it', async () => {
    const root = await fixture<HTMLElement>(
      html`<div>
        <lottie-sync-stage id="a"><lottie-sync-player src=${BAR} style=${SMALL}></lottie-sync-player></lottie-sync-stage>
        <lottie-sync-stage id="b"></lottie-sync-stage>
      </div>`,
    );
    const a = root.querySelector<LottieSyncStage>('#a')!;
    const b = root.querySelector<LottieSyncStage>('#b')!;
    const player = a.querySelector('lottie-sync-player')!;
    await waitUntil(() => player.currentFrame === 0);
    b.seek(20 / 30);
    b.append(player);
    expect(player.stage).to.equal(b);
    expect(a.playerCount).to.equal(0);
    expect(b.playerCount).to.equal(1);
    await waitUntil(() => player.currentFrame === 20, "shows stage b's frame");
    expect(canvasOf(player)).to.not.equal(null);
  });

  it('gives back canvases when players are removed, and plays alone without a stage', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage>
        <lottie-sync-player src=${BAR} style=${SMALL}></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    const player = stage.querySelector('lottie-sync-player')!;
    await waitUntil(() => player.currentFrame >= 0);
    const canvas = canvasOf(player)!;
    player.remove();
    expect(stage.playerCount).to.equal(0);
    expect(canvasOf(player)).to.equal(null);
    expect(canvas.isConnected).to.equal(false);
    // Alone, it plays on its own clock (with autoplay, as every Lottie element does).
    player.autoplay = true;
    document.body.append(player);
    try {
      expect(player.stage).to.equal(null);
      await waitUntil(() => player.currentFrame > 3, 'plays on its own', { timeout: 5000 });
    } finally {
      player.remove();
    }
  });

  it('survives the stage being removed and put back', async () => {
    const host = await fixture<HTMLElement>(
      html`<div>
        <lottie-sync-stage autoplay loop><lottie-sync-player src=${BAR} style=${SMALL}></lottie-sync-player></lottie-sync-stage>
      </div>`,
    );
    const stage = host.querySelector('lottie-sync-stage')!;
    const player = stage.querySelector('lottie-sync-player')!;
    await readyOf(stage);
    stage.remove();
    expect(stage.playerCount).to.equal(0);
    stage.pause();
    stage.seek(10 / 30);
    host.append(stage);
    expect(player.stage).to.equal(stage);
    await waitUntil(() => player.currentFrame === 10, 'redrawn after coming back');
  });

  it('registers 300 players and draws them all', async () => {
    const players = Array.from(
      { length: 300 },
      () => html`<lottie-sync-player src=${BAR} style="width:16px;height:16px"></lottie-sync-player>`,
    );
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage autoplay loop>${players}</lottie-sync-stage>`);
    const ready = await readyOf(stage);
    expect((ready as unknown as { loaded: number }).loaded).to.equal(300);
    expect(stage.playerCount).to.equal(300);
    await frames(3);
    const shown = new Set(playersOf(stage).map((p) => p.currentFrame));
    expect(shown.size).to.equal(1);
    expect([...shown][0]).to.be.at.least(0);
  });

  it('players added later join at the current position, in sync on their first drawn frame', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage autoplay loop>
        <lottie-sync-player src=${BAR} style=${SMALL}></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    await readyOf(stage);
    const [first] = playersOf(stage);
    await waitUntil(() => first!.currentFrame > 5);
    const late = document.createElement('lottie-sync-player');
    late.src = BAR;
    late.style.cssText = SMALL;
    const drawn = new Promise<number[]>((resolve) =>
      late.addEventListener('lottie-sync-load', () => resolve([late.currentFrame, first!.currentFrame]), { once: true }),
    );
    stage.append(late);
    const [lateFrame, firstFrame] = await drawn;
    expect(lateFrame).to.equal(firstFrame);
    expect(lateFrame).to.be.greaterThan(0);
  });
});

describe('players without a box', () => {
  it('a display:none player does not hold up ready, and draws once shown', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage>
        <lottie-sync-player src=${BAR} style="width:40px;height:40px"></lottie-sync-player>
        <lottie-sync-player src=${BAR} style="width:40px;height:40px;display:none"></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    await readyOf(stage);
    const [shown, hidden] = playersOf(stage);
    expect(shown!.currentFrame).to.equal(0);
    expect(canvasOf(hidden!)).to.equal(null);
    stage.seek(7 / 30);
    hidden!.style.display = '';
    await waitUntil(() => hidden!.currentFrame === 7, 'draws the current frame once it has a box');
    expect(shownOf(hidden!)!.width).to.equal(40);
  });
});
