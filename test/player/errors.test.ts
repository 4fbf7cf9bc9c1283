import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncErrorEvent } from '../../src/events.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { BAR, canvasOf, fresh, waitUntil, withWarnings } from '../helpers.js';

const SMALL = 'width:50px;height:50px';

async function stageWith(badSrc: string, maxBytes?: number) {
  const stage = await fixture<LottieSyncStage>(
    html`<lottie-sync-stage autoplay loop max-bytes=${maxBytes ?? 33554432}>
      <lottie-sync-player id="good" src=${BAR} style=${SMALL}></lottie-sync-player>
    </lottie-sync-stage>`,
  );
  const good = stage.querySelector<LottieSyncPlayer>('#good')!;
  await waitUntil(() => good.currentFrame >= 0, 'good player draws');
  const bad = document.createElement('lottie-sync-player');
  bad.style.cssText = SMALL;
  bad.src = badSrc;
  const errored = oneEvent(stage, 'lottie-sync-error') as Promise<LottieSyncErrorEvent>;
  stage.append(bad);
  return { stage, good, bad, event: await errored };
}

async function expectStillPlaying(good: LottieSyncPlayer): Promise<void> {
  const before = good.currentFrame;
  await waitUntil(() => good.currentFrame !== before, 'the good player keeps advancing', { timeout: 3000 });
}

const cases: { name: string; src: string; code: string; maxBytes?: number }[] = [
  { name: 'a 404', src: '/test/fixtures/missing.json', code: 'http-error' },
  { name: 'a file that is not JSON', src: '/test/fixtures/not-json.json', code: 'invalid-json' },
  { name: 'JSON that is not a Lottie animation', src: '/test/fixtures/not-lottie.json', code: 'not-lottie' },
  { name: 'an empty file', src: '/test/fixtures/empty.json', code: 'empty' },
  { name: 'a network failure', src: 'http://127.0.0.1:1/nothing-listens-here.json', code: 'fetch-failed' },
  { name: 'a file over max-bytes', src: '/node_modules/lottie-web/test/animations/dalek.json', code: 'too-large', maxBytes: 50000 },
];

describe('bad input', () => {
  for (const { name, src, code, maxBytes } of cases) {
    it(`${name}: an error event with code ${code}, a visible fallback, a warning, and the others keep playing`, async () => {
      await withWarnings(async (warnings) => {
        const { good, bad, event } = await stageWith(fresh(src), maxBytes);
        expect(event.code).to.equal(code);
        expect(event.fatal).to.equal(true);
        expect(event.message).to.be.a('string').with.length.above(10);
        expect(event.target).to.equal(bad);
        await bad.updateComplete;
        const fallback = bad.shadowRoot!.querySelector<HTMLElement>('[part="fallback"]');
        expect(fallback, 'fallback').to.not.equal(null);
        expect(fallback!.getBoundingClientRect().width).to.be.greaterThan(0);
        expect(fallback!.textContent).to.contain(code);
        expect(canvasOf(bad)).to.equal(null);
        expect(bad.state).to.equal('error');
        expect(warnings.some((w) => w.includes('<lottie-sync-player') && w.includes('src='))).to.equal(true);
        await expectStillPlaying(good);
      });
    });
  }

  it('recovers when a failed player gets a good src', async () => {
    const { bad } = await stageWith(fresh('/test/fixtures/missing.json'));
    bad.src = BAR;
    await waitUntil(() => bad.currentFrame >= 0, 'draws after the new src');
    await bad.updateComplete;
    expect(bad.shadowRoot!.querySelector('[part="fallback"]')).to.equal(null);
    expect(canvasOf(bad)).to.not.equal(null);
  });

  it('rejects bad attribute values with a warning and an event, and uses the default', async () => {
    await withWarnings(async (warnings) => {
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage speed="fast">
          <lottie-sync-player
            src=${BAR}
            direction="sideways"
            mode="zigzag"
            segment="40 10"
            loop="sometimes"
            marker="nope"
            style=${SMALL}
          ></lottie-sync-player>
        </lottie-sync-stage>`,
      );
      const player = stage.querySelector('lottie-sync-player')!;
      const codes: string[] = [];
      stage.addEventListener('lottie-sync-error', (e) => codes.push(e.code));
      await waitUntil(() => player.currentFrame >= 0, 'still draws');
      expect(stage.speed).to.equal(1);
      expect(player.direction).to.equal(1);
      expect(player.mode).to.equal('normal');
      expect(player.segment).to.equal(null);
      expect(player.loop).to.equal(null);
      expect(codes).to.include('unknown-marker');
      expect(player.state).to.equal('playing');
      for (const attribute of [
        'speed="fast"',
        'direction="sideways"',
        'mode="zigzag"',
        'segment="40 10"',
        'loop="sometimes"',
        'marker="nope"',
      ]) {
        expect(
          warnings.some((w) => w.includes(attribute)),
          attribute,
        ).to.equal(true);
      }
      expect(player.shadowRoot!.querySelector('[part="fallback"]')).to.equal(null);
    });
  });

  it('warns about a segment outside the file and plays the whole file', async () => {
    const stage = await fixture<LottieSyncStage>(
      html`<lottie-sync-stage>
        <lottie-sync-player src=${BAR} segment="10 90" style=${SMALL}></lottie-sync-player>
      </lottie-sync-stage>`,
    );
    const player = stage.querySelector('lottie-sync-player')!;
    const event = (await oneEvent(stage, 'lottie-sync-error')) as LottieSyncErrorEvent;
    expect(event.code).to.equal('invalid-attribute');
    expect(event.fatal).to.equal(false);
    await waitUntil(() => player.totalFrames === 30);
  });
});
