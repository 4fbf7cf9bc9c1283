// Accessibility: axe-core on a page of every element with every option, and on
// the demo pages; the control bar operated with the keyboard alone.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/define.js';
import type { LottieSyncPlayer } from '../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../src/stage/lottie-sync-stage.js';
import { ANIMATIONS, BAR, waitUntil, withWarnings } from './helpers.js';

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}
type Axe = { run(context: unknown, options: unknown): Promise<AxeResult> };

/** axe-core, loaded into `win` as a script (it is a UMD bundle). */
async function axeIn(win: Window): Promise<Axe> {
  const holder = win as unknown as { axe?: Axe };
  if (!holder.axe) {
    const script = win.document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
    });
    win.document.head.append(script);
    await loaded;
  }
  return holder.axe!;
}

async function violations(win: Window, context: unknown): Promise<string[]> {
  const axe = await axeIn(win);
  const result = await axe.run(context, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  });
  return result.violations
    .filter((v) => v.id !== 'region' && v.id !== 'page-has-heading-one' && v.id !== 'landmark-one-main')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('accessibility', () => {
  it('every element with every option: no axe violations; players are named images, decorative ones hidden', async () => {
    await withWarnings(async () => {
      const root = await fixture<HTMLElement>(
        html`<main>
          <h1>All the elements</h1>
          <lottie-sync-stage autoplay loop controls show-metrics aria-label="Gallery" fps="auto">
            <lottie-sync-player src=${BAR} style="width:60px;height:60px" description="A moving bar"></lottie-sync-player>
            <lottie-sync-player src=${`${ANIMATIONS}/dalek.json`} style="width:60px;height:60px"></lottie-sync-player>
            <lottie-sync-player src=${BAR} style="width:60px;height:60px" decorative></lottie-sync-player>
            <lottie-sync-player src=${BAR} style="width:60px;height:60px" play-on="click" description="Bar (click)"></lottie-sync-player>
            <lottie-sync-player src=${BAR} style="width:60px;height:60px" play-on="hover"></lottie-sync-player>
            <lottie-sync-player src="/test/fixtures/missing.json" style="width:60px;height:60px" description="Missing"></lottie-sync-player>
            <lottie-sync-group play-on="hover" sync="batched">
              <lottie-sync-player src=${BAR} style="width:60px;height:60px" loop="2" intermission="100" speed="2"></lottie-sync-player>
            </lottie-sync-group>
          </lottie-sync-stage>
          <lottie-sync-player src=${BAR} autoplay loop controls style="width:200px;height:120px" description="Alone"></lottie-sync-player>
        </main>`,
      );
      const stage = root.querySelector('lottie-sync-stage')!;
      await oneEvent(stage, 'lottie-sync-ready');
      const alone = root.querySelector<LottieSyncPlayer>(':scope > lottie-sync-player')!;
      await waitUntil(() => alone.currentFrame >= 0);
      await waitUntil(() => stage.shadowRoot!.querySelector('[part="metrics"]')?.textContent?.includes('tier'));
      const players = [...stage.querySelectorAll<LottieSyncPlayer>('lottie-sync-player')];
      expect(players.map((p) => [p.getAttribute('role'), p.getAttribute('aria-label')])).to.deep.equal([
        ['img', 'A moving bar'],
        ['img', 'Animation'],
        ['presentation', null],
        ['button', 'Bar (click)'],
        ['img', 'bar'],
        ['img', 'Missing'],
        ['img', 'bar'],
      ]);
      expect(players[2]!.getAttribute('aria-hidden')).to.equal('true');
      expect(await violations(window, root)).to.deep.equal([]);
    });
  });

  for (const page of ['index.html', 'player.html', 'tabs.html', 'relay.html']) {
    it(`the demo page ${page} has no axe violations`, async () => {
      const frame = document.createElement('iframe');
      frame.style.cssText = 'width:1200px;height:900px';
      frame.src = `/demo/${page}`;
      document.body.append(frame);
      try {
        await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
        const win = frame.contentWindow!;
        await waitUntil(() => win.customElements.get('lottie-sync-stage'), 'the page defines the elements', { timeout: 10000 });
        await waitUntil(
          () => [...win.document.querySelectorAll('lottie-sync-player')].some((p) => (p as LottieSyncPlayer).currentFrame >= 0),
          'draws',
          {
            timeout: 15000,
          },
        );
        expect(await violations(win, win.document)).to.deep.equal([]);
      } finally {
        frame.remove();
      }
    });
  }
});

describe('the control bar, with the keyboard alone', () => {
  it('on a stage: Tab to play, Space to toggle, the arrow keys move the scrubber, and the loop toggle is a pressed button', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage controls
        ><lottie-sync-player src=${BAR} style="width:60px;height:60px"></lottie-sync-player
      ></lottie-sync-stage>`,
    );
    await oneEvent(stage, 'lottie-sync-ready');
    await stage.updateComplete;
    const bar = stage.shadowRoot!.querySelector<HTMLElement>('[part~="controls"]')!;
    const play = bar.querySelector<HTMLButtonElement>('[part~="play-button"]')!;
    expect(play.getAttribute('aria-label')).to.equal('Play');
    play.focus();
    await sendKeys({ press: ' ' });
    expect(stage.paused, 'Space plays').to.equal(false);
    await stage.updateComplete;
    expect(play.getAttribute('aria-label')).to.equal('Pause');
    await sendKeys({ press: 'Enter' });
    expect(stage.paused, 'Enter pauses').to.equal(true);
    await sendKeys({ press: 'Tab' });
    const scrubber = bar.querySelector<HTMLInputElement>('[part~="scrubber"]')!;
    expect(stage.shadowRoot!.activeElement).to.equal(scrubber);
    const before = stage.currentTime;
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    expect(stage.currentTime, 'the arrow keys seek').to.be.greaterThan(before);
    await sendKeys({ press: 'Tab' });
    const loop = bar.querySelector<HTMLButtonElement>('[part~="loop-button"]')!;
    expect(stage.shadowRoot!.activeElement).to.equal(loop);
    await sendKeys({ press: ' ' });
    expect(stage.loop).to.equal(true);
    await stage.updateComplete;
    expect(loop.getAttribute('aria-pressed')).to.equal('true');
  });

  it('on a relay follower: disabled, with the reason shown', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage controls sync-url="ws://127.0.0.1:1" sync-role="follower"
        ><lottie-sync-player src=${BAR} style="width:60px;height:60px"></lottie-sync-player
      ></lottie-sync-stage>`,
    );
    await stage.updateComplete;
    const bar = stage.shadowRoot!.querySelector<HTMLElement>('[part~="controls"]')!;
    expect([...bar.querySelectorAll('button, input')].every((control) => (control as HTMLButtonElement).disabled)).to.equal(true);
    expect(bar.textContent).to.contain('only the leader controls it');
  });

  it('on a player alone: its own bar controls it', async () => {
    const alone = await fixture<LottieSyncPlayer>(
      html`<lottie-sync-player src=${BAR} controls loop style="width:200px;height:120px"></lottie-sync-player>`,
    );
    await waitUntil(() => alone.currentFrame === 0);
    await alone.updateComplete;
    const play = alone.shadowRoot!.querySelector<HTMLButtonElement>('[part~="play-button"]')!;
    play.focus();
    await sendKeys({ press: ' ' });
    await waitUntil(() => alone.currentFrame > 2, 'plays');
    expect(alone.paused).to.equal(false);
  });
});
