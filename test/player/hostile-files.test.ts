// Files written by an attacker: too big to build, too big to download, calling
// home, carrying code. Each fails alone (its own error code and the fallback)
// while the other players of the stage keep playing.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncErrorEvent } from '../../src/events.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { BAR, counted, requestCount, waitUntil, withWarnings } from '../helpers.js';

/** The same test server under another origin: localhost and 127.0.0.1 are different origins. */
function otherOrigin(): string {
  const other = location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  return `${location.protocol}//${other}:${location.port}`;
}

const IMAGE = '/node_modules/lottie-web/test/animations/footage/images/img_0.jpg';

const SMALL = 'width:50px;height:50px';

async function stageWith(attributes: Record<string, string> = {}) {
  const stage = await fixture<LottieSyncStage>(
    html`<lottie-sync-stage autoplay loop
      ><lottie-sync-player id="good" src=${BAR} style=${SMALL}></lottie-sync-player
    ></lottie-sync-stage>`,
  );
  for (const [name, value] of Object.entries(attributes)) stage.setAttribute(name, value);
  await stage.updateComplete;
  const good = stage.querySelector<LottieSyncPlayer>('#good')!;
  await waitUntil(() => good.currentFrame >= 0, 'the good player draws');
  return { stage, good };
}

/** Adds a player of `src` and resolves to its error event. */
async function addBad(stage: LottieSyncStage, src: string) {
  const bad = document.createElement('lottie-sync-player');
  bad.style.cssText = SMALL;
  bad.src = src;
  const errored = oneEvent(stage, 'lottie-sync-error') as Promise<LottieSyncErrorEvent>;
  stage.append(bad);
  return { bad, event: await errored };
}

/** The good player's frame keeps changing on every sample for a while: it was never frozen. */
async function keepsPlaying(good: LottieSyncPlayer): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    const before = good.currentFrame;
    await waitUntil(() => good.currentFrame !== before, 'the good player keeps advancing', { timeout: 3000 });
  }
}

async function showsFallback(bad: LottieSyncPlayer, code: string): Promise<void> {
  await bad.updateComplete;
  expect(bad.state).to.equal('error');
  expect(bad.shadowRoot!.querySelector('[part="fallback"]')!.textContent).to.contain(code);
}

describe('hostile files', () => {
  for (const render of ['auto', 'main']) {
    it(`a file of 100,000 layers fails with too-complex before lottie-web builds it (render="${render}"), the others keep playing`, async () => {
      await withWarnings(async () => {
        const { stage, good } = await stageWith({ render });
        const started = performance.now();
        const { bad, event } = await addBad(stage, `/__layers?n=100000&r=${render}${Math.random()}`);
        expect(event.code).to.equal('too-complex');
        expect(event.fatal).to.equal(true);
        expect(event.message).to.contain('100000 layers');
        console.log(
          `100,000 layers rejected ${Math.round(performance.now() - started)} ms after the player was added (render="${render}")`,
        );
        await showsFallback(bad, 'too-complex');
        await keepsPlaying(good);
      });
    });
  }

  it('a precomp that contains itself fails with too-complex', async () => {
    await withWarnings(async () => {
      const { stage, good } = await stageWith();
      const loop = {
        v: '5.7.0',
        fr: 30,
        ip: 0,
        op: 30,
        w: 10,
        h: 10,
        assets: [{ id: 'self', layers: [{ ty: 0, refId: 'self', ip: 0, op: 30, st: 0, ks: {} }] }],
        layers: [{ ty: 0, refId: 'self', ip: 0, op: 30, st: 0, ks: {} }],
      };
      const url = URL.createObjectURL(new Blob([JSON.stringify(loop)], { type: 'application/json' }));
      const { bad, event } = await addBad(stage, url);
      expect(event.code).to.equal('too-complex');
      expect(event.message).to.contain('contains itself');
      await showsFallback(bad, 'too-complex');
      await keepsPlaying(good);
    });
  });

  it('max-layers and max-shapes set the limits; bad values are rejected', async () => {
    await withWarnings(async (warnings) => {
      const { stage, good } = await stageWith({ 'max-layers': '1' });
      const { event } = await addBad(stage, `/__layers?n=2&r=${Math.random()}`);
      expect(event.code).to.equal('too-complex');
      expect(event.message).to.contain('max-layers (1)');
      stage.setAttribute('max-shapes', 'lots');
      await stage.updateComplete;
      expect(stage.maxShapes).to.equal(50_000);
      expect(warnings.some((w) => w.includes('max-shapes="lots"'))).to.equal(true);
      await keepsPlaying(good);
    });
  });

  it('max-bytes is enforced while the body streams: the download of an endless file stops at the limit', async () => {
    await withWarnings(async () => {
      const { stage, good } = await stageWith({ 'max-bytes': '1000' });
      const id = Math.random().toString(36).slice(2);
      const { bad, event } = await addBad(stage, `/__stream?mb=30&id=${id}`);
      expect(event.code).to.equal('too-large');
      await showsFallback(bad, 'too-large');
      // The server stops sending soon after the client stops reading (socket buffers hold a few chunks).
      let sent = 0;
      await waitUntil(
        async () => {
          const before = sent;
          sent = Number(await (await fetch(`/__stream-sent?id=${id}`)).text());
          return sent === before;
        },
        'the server stopped sending',
        { interval: 300, timeout: 10000 },
      );
      console.log(`max-bytes=1000 against a 30 MB stream: ${sent} bytes sent before the download stopped`);
      expect(sent).to.be.below(4 * 1024 * 1024);
      await keepsPlaying(good);
    });
  });

  for (const render of ['auto', 'main']) {
    it(`an image asset on another origin is never requested: asset-blocked, and the player plays on (render="${render}")`, async () => {
      await withWarnings(async () => {
        const { stage, good } = await stageWith({ render });
        const beacon = `${otherOrigin()}${counted(IMAGE)}`;
        const file = `/__image-file?u=&p=${encodeURIComponent(beacon)}&r=${Math.random()}`;
        const { bad, event } = await addBad(stage, file);
        expect(event.code).to.equal('asset-blocked');
        expect(event.fatal).to.equal(false);
        expect(event.message).to.contain(beacon);
        await waitUntil(() => bad.currentFrame >= 0, 'draws (without the image)');
        expect(await requestCount(beacon), 'requests the other origin saw').to.equal(0);
        await keepsPlaying(good);
      });
    });
  }

  it('an image on the file\'s own origin loads, with u="" and an absolute p joined as a browser joins them', async () => {
    const { stage } = await stageWith();
    const image = new URL(counted(IMAGE), location.href).href;
    const player = document.createElement('lottie-sync-player');
    player.style.cssText = SMALL;
    player.src = `/__image-file?u=&p=${encodeURIComponent(image)}&r=${Math.random()}`;
    stage.append(player);
    await waitUntil(() => player.currentFrame >= 0, 'draws');
    await waitUntil(async () => (await requestCount(image)) === 1, 'the image is requested once, at its own URL');
  });

  it('asset-origins lets images of a named origin load', async () => {
    const { stage } = await stageWith({ 'asset-origins': `${otherOrigin()} not-an-origin` });
    const image = `${otherOrigin()}${counted(IMAGE)}`;
    const player = document.createElement('lottie-sync-player');
    player.style.cssText = SMALL;
    player.src = `/__image-file?u=&p=${encodeURIComponent(image)}&r=${Math.random()}`;
    stage.append(player);
    await waitUntil(() => player.currentFrame >= 0, 'draws');
    await waitUntil(async () => (await requestCount(image)) === 1, 'the image is requested from the allowed origin');
  });

  it('a file whose build holds its render worker past the deadline fails with too-complex; the other players go on in a fresh worker', async () => {
    await withWarnings(async () => {
      const { stage, good } = await stageWith({ 'worker-url': '/test/fixtures/hanging-build-worker.js' });
      const codes: string[] = [];
      stage.addEventListener('lottie-sync-error', (event) => codes.push(event.code));
      const { bad, event } = await addBad(stage, `/__layers?n=3&hang=1&r=${Math.random()}`);
      expect(event.code).to.equal('too-complex');
      expect(event.message).to.contain('to build');
      await showsFallback(bad, 'too-complex');
      await keepsPlaying(good);
      expect(stage.metrics.workersStarted, 'a fresh worker').to.equal(2);
      expect(codes, 'not a worker failure: the stage keeps its workers').to.not.include('worker-failed');
    });
  });
});
