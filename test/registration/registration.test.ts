// One registration suite, run against both registering elements: the player
// and the group. What a person sees of registration is `element.stage`, and
// that the stage it names drives the element.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncGroup } from '../../src/group/lottie-sync-group.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { BAR, waitUntil } from '../helpers.js';

const BOX = 'width:20px;height:20px';

interface Kind {
  readonly tag: 'lottie-sync-player' | 'lottie-sync-group';
  /** Markup of one element of the kind (a group holds one player). */
  markup(id: string): string;
  /** Waits until the element (or the player inside the group) is driven by `stage`: it shows the frame of a seek. */
  drivenBy(element: Element, stage: LottieSyncStage): Promise<void>;
}

function playerOf(element: Element): LottieSyncPlayer {
  // A group holds one player (of this copy of the library, or of the other).
  return ('currentFrame' in element ? element : element.querySelector('lottie-sync-player, copy-two-player')!) as LottieSyncPlayer;
}

async function showsStageFrame(element: Element, stage: LottieSyncStage): Promise<void> {
  const frame = 3 + Math.floor(Math.random() * 20);
  stage.pause();
  stage.seek(frame / 30);
  const player = playerOf(element);
  await waitUntil(() => player.currentFrame === frame, `shows frame ${frame} of its stage`, { timeout: 5000 });
}

const KINDS: Kind[] = [
  {
    tag: 'lottie-sync-player',
    markup: (id) => `<lottie-sync-player id="${id}" src="${BAR}" style="${BOX}"></lottie-sync-player>`,
    drivenBy: showsStageFrame,
  },
  {
    tag: 'lottie-sync-group',
    markup: (id) =>
      `<lottie-sync-group id="${id}"><lottie-sync-player src="${BAR}" style="${BOX}"></lottie-sync-player></lottie-sync-group>`,
    async drivenBy(element, stage) {
      await showsStageFrame(element, stage);
      // Its own controls reach the players of its stage.
      const group = element as LottieSyncGroup;
      group.seek(27 / 30);
      await waitUntil(() => playerOf(element).currentFrame === 27, 'the group seeks on its own', { timeout: 5000 });
    },
  },
];

/** A wrapper element that puts what it is given inside its own shadow root. */
class ShadowBox extends HTMLElement {
  set content(markup: string) {
    (this.shadowRoot ?? this.attachShadow({ mode: 'open' })).innerHTML = `<div>${markup}</div>`;
  }
}
customElements.define('registration-shadow-box', ShadowBox);

for (const kind of KINDS) {
  describe(`registration of <${kind.tag}>`, () => {
    it('finds the nearest stage through wrappers and open shadow roots', async () => {
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage><section .innerHTML=${kind.markup('plain')}></section></lottie-sync-stage>`,
      );
      const box = document.createElement('registration-shadow-box') as ShadowBox;
      box.content = kind.markup('shadowed');
      stage.append(box);
      const plain = stage.querySelector<HTMLElement & { stage: HTMLElement | null }>('#plain')!;
      const shadowed = box.shadowRoot!.querySelector<HTMLElement & { stage: HTMLElement | null }>('#shadowed')!;
      expect(plain.stage).to.equal(stage);
      expect(shadowed.stage).to.equal(stage);
      await kind.drivenBy(plain, stage);
      await kind.drivenBy(shadowed, stage);
    });

    it('joins a stage connected after it (no stage first, then one around it)', async () => {
      const host = await fixture<HTMLElement>(html`<div .innerHTML=${kind.markup('early')}></div>`);
      const element = host.querySelector<HTMLElement & { stage: HTMLElement | null }>('#early')!;
      expect(element.stage).to.equal(null);
      const stage = document.createElement('lottie-sync-stage');
      host.append(stage);
      stage.append(element);
      expect(element.stage).to.equal(stage);
      await kind.drivenBy(element, stage);
    });

    it('moves to another stage, which then drives it', async () => {
      const root = await fixture<HTMLElement>(
        html`<div>
          <lottie-sync-stage id="a" .innerHTML=${kind.markup('moving')}></lottie-sync-stage><lottie-sync-stage id="b"></lottie-sync-stage>
        </div>`,
      );
      const [a, b] = [root.querySelector<LottieSyncStage>('#a')!, root.querySelector<LottieSyncStage>('#b')!];
      const element = root.querySelector<HTMLElement & { stage: HTMLElement | null }>('#moving')!;
      expect(element.stage).to.equal(a);
      b.append(element);
      expect(element.stage).to.equal(b);
      expect(a.playerCount).to.equal(0);
      expect(b.playerCount).to.equal(1);
      await kind.drivenBy(element, b);
    });

    it('survives its stage being removed and put back', async () => {
      const host = await fixture<HTMLElement>(html`<div><lottie-sync-stage .innerHTML=${kind.markup('kept')}></lottie-sync-stage></div>`);
      const stage = host.querySelector('lottie-sync-stage')!;
      const element = host.querySelector<HTMLElement & { stage: HTMLElement | null }>('#kept')!;
      stage.remove();
      expect(stage.playerCount).to.equal(0);
      host.append(stage);
      expect(element.stage).to.equal(stage);
      expect(stage.playerCount).to.equal(1);
      await kind.drivenBy(element, stage);
    });

    it("registers with a stage of another copy of the library, and a stage of this copy takes another copy's element", async () => {
      // dist/ is the npm build: a second copy of every class, with its own modules.
      const other = (await import(new URL('/dist/index.js', location.href).href)) as typeof import('../../src/index.js');
      const suffix = kind.tag.split('-').pop();
      if (!customElements.get('copy-two-stage')) customElements.define('copy-two-stage', class extends other.LottieSyncStage {});
      const otherTag = `copy-two-${suffix}`;
      const OtherElement = kind.tag === 'lottie-sync-player' ? other.LottieSyncPlayer : other.LottieSyncGroup;
      if (!customElements.get(otherTag))
        customElements.define(otherTag, class extends OtherElement {} as unknown as CustomElementConstructor);
      const theirs = await fixture<LottieSyncStage>(html`<copy-two-stage .innerHTML=${kind.markup('ours')}></copy-two-stage>`);
      const ours = theirs.querySelector<HTMLElement & { stage: HTMLElement | null }>('#ours')!;
      expect(ours.stage).to.equal(theirs);
      await kind.drivenBy(ours, theirs);
      const markup = kind.markup('theirs').replaceAll(kind.tag, otherTag);
      const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage .innerHTML=${markup}></lottie-sync-stage>`);
      const element = stage.querySelector<HTMLElement & { stage: HTMLElement | null }>('#theirs')!;
      expect(element.stage).to.equal(stage);
      await kind.drivenBy(element, stage);
    });
  });
}

describe('registration through a group', () => {
  it('a player defined inside a group before the group is upgraded joins the group once it is', async () => {
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage></lottie-sync-stage>`);
    const group = document.createElement('div');
    group.innerHTML = `<lottie-sync-player src="${BAR}" style="${BOX}"></lottie-sync-player>`;
    stage.append(group);
    const player = group.querySelector('lottie-sync-player')!;
    await waitUntil(() => player.currentFrame === 0, 'draws on the stage');
    // Wrap it in a group now: it leaves and comes back, through the group.
    const real = document.createElement('lottie-sync-group') as LottieSyncGroup;
    real.name = 'late';
    stage.append(real);
    real.append(player);
    stage.seek(4 / 30);
    await waitUntil(() => player.currentFrame === 4, 'follows the stage');
    real.seek(19 / 30);
    await waitUntil(() => player.currentFrame === 19, 'and its group');
    real.name = 'renamed';
    await real.updateComplete;
    real.seek(8 / 30);
    await waitUntil(() => player.currentFrame === 8, 'and its group under its new name');
    expect(stage.playerCount).to.equal(1);
  });
});
