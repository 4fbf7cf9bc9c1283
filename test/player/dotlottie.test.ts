// .lottie files (dotLottie archives) and inline data: drawn like any JSON file,
// fetched or parsed once however many players use them, and every failure its
// own error code with the fallback while the other players play on.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { strToU8, zipSync } from 'fflate';
import '../../src/define.js';
import type { LottieSyncErrorEvent } from '../../src/events.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import {
  ANIMATIONS,
  BAR,
  barFrameOn,
  shownOf,
  counted,
  differingShare,
  pixelsOf,
  referenceRender,
  requestCount,
  waitUntil,
  withWarnings,
} from '../helpers.js';

const FIXTURES = '/test/fixtures';

function player(attributes: Record<string, string>, style = 'width:160px;height:90px'): LottieSyncPlayer {
  const element = document.createElement('lottie-sync-player');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.style.cssText = style;
  return element;
}

async function pausedStage(render = 'auto'): Promise<LottieSyncStage> {
  // A fixed rate: the adaptive default may lower the pixel ratio on a loaded machine.
  return fixture<LottieSyncStage>(html`<lottie-sync-stage fps="60" render=${render}></lottie-sync-stage>`);
}

/** Pixels of `player` at `frame` once they stop changing and show the frame it reports. */
async function pixelsAt(stage: LottieSyncStage, target: LottieSyncPlayer, frame: number): Promise<Uint8ClampedArray> {
  await waitUntil(() => target.currentFrame >= 0, 'draws', { timeout: 10000 });
  const before = pixelsOf(shownOf(target)!);
  stage.seekToFrame(frame, target);
  await waitUntil(() => target.currentFrame === frame, `frame ${frame}`, { timeout: 5000 });
  let previous = pixelsOf(shownOf(target)!);
  for (let i = 0; i < 120; i += 1) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = pixelsOf(shownOf(target)!);
    if (differingShare(now, previous, 0) === 0 && differingShare(now, before, 0) > 0) return now;
    previous = now;
  }
  return previous;
}

async function expectError(stage: LottieSyncStage, bad: LottieSyncPlayer, code: string): Promise<void> {
  const errored = oneEvent(stage, 'lottie-sync-error') as Promise<LottieSyncErrorEvent>;
  stage.append(bad);
  const event = await errored;
  expect(event.code).to.equal(code);
  expect(event.fatal).to.equal(true);
  await bad.updateComplete;
  expect(bad.state).to.equal('error');
  expect(bad.shadowRoot!.querySelector('[part="fallback"]')!.textContent).to.contain(code);
}

describe('.lottie files', () => {
  for (const render of ['auto', 'main']) {
    it(`draws a .lottie file's animation as plain lottie-web draws its JSON (render="${render}")`, async () => {
      const stage = await pausedStage(render);
      const target = player({ src: `${FIXTURES}/dalek.lottie` });
      stage.append(target);
      const ours = await pixelsAt(stage, target, 17);
      const reference = await referenceRender(`${ANIMATIONS}/dalek.json`, 17, 160, 90);
      expect(differingShare(ours, reference), 'share of differing pixels').to.be.below(0.01);
      expect(differingShare(ours, await referenceRender(`${ANIMATIONS}/dalek.json`, 24, 160, 90))).to.be.above(0.001);
    });
  }

  it("plays the manifest's initial animation, or the one `animation` names; one fetch for all of them", async () => {
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage></lottie-sync-stage>`);
    const url = counted(`${FIXTURES}/several.lottie`);
    const initial = player({ src: url }, 'width:100px;height:100px');
    const lights = player({ src: url, animation: 'lights' });
    const dalek = player({ src: url, animation: 'dalek' });
    stage.append(initial, lights, dalek);
    await waitUntil(() => [initial, lights, dalek].every((p) => p.currentFrame >= 0), 'all draw', { timeout: 10000 });
    stage.seek(12 / 30);
    await waitUntil(() => barFrameOn(shownOf(initial)!) === 12, 'the initial animation is the bar');
    const lightsFile = (await (await fetch(`${ANIMATIONS}/lights.json`)).json()) as { ip: number; op: number };
    expect(lights.totalFrames).to.equal(lightsFile.op - lightsFile.ip);
    expect(await requestCount(url), 'requests for the archive').to.equal(1);
  });

  it('draws the images inside the archive without a request for them', async () => {
    const stage = await pausedStage('main');
    const target = player({ src: `${FIXTURES}/images.lottie` }, 'width:150px;height:150px');
    stage.append(target);
    const ours = await pixelsAt(stage, target, 10);
    const requested = performance.getEntriesByType('resource').filter((entry) => entry.name.includes('img_'));
    expect(requested, 'image requests while the archive loads and draws').to.have.length(0);
    const reference = await referenceRender(`${FIXTURES}/images.json`, 10, 150, 150);
    expect(differingShare(ours, reference), 'share of differing pixels').to.be.below(0.01);
  });

  it('a bad archive, a missing animation and a manifest pointing nowhere each have their own code', async () => {
    await withWarnings(async () => {
      const stage = await fixture<LottieSyncStage>(
        html`<lottie-sync-stage autoplay loop
          ><lottie-sync-player src=${BAR} style="width:30px;height:30px"></lottie-sync-player
        ></lottie-sync-stage>`,
      );
      const good = stage.querySelector('lottie-sync-player')!;
      await waitUntil(() => good.currentFrame >= 0);
      const blob = (files: Record<string, Uint8Array>) => URL.createObjectURL(new Blob([zipSync(files)]));
      await expectError(stage, player({ src: `${FIXTURES}/not-a-dotlottie.lottie` }), 'bad-archive');
      const corrupt = URL.createObjectURL(new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8])]));
      await expectError(stage, player({ src: corrupt }), 'bad-archive');
      await expectError(stage, player({ src: `${FIXTURES}/several.lottie`, animation: 'nope' }), 'unknown-animation');
      const nowhere = blob({ 'manifest.json': strToU8(JSON.stringify({ animations: [{ id: 'ghost' }] })) });
      await expectError(stage, player({ src: nowhere }), 'bad-manifest');
      const empty = blob({ 'manifest.json': strToU8(JSON.stringify({ animations: [] })) });
      await expectError(stage, player({ src: empty }), 'bad-manifest');
      const before = good.currentFrame;
      await waitUntil(() => good.currentFrame !== before, 'the good player plays on');
    });
  });
});

describe('inline data', () => {
  it('a `data` object or JSON text draws; players given the same data share one parse and one renderer', async () => {
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage render="main"></lottie-sync-stage>`);
    const animation = (await (await fetch(BAR)).json()) as object;
    const [a, b] = [player({}, 'width:100px;height:100px'), player({}, 'width:100px;height:100px')];
    a.data = animation;
    b.data = animation;
    const text = player({}, 'width:100px;height:100px');
    text.data = JSON.stringify(animation);
    stage.append(a, b, text);
    await waitUntil(() => [a, b, text].every((p) => p.currentFrame >= 0), 'all draw');
    stage.seek(9 / 30);
    await waitUntil(() => [a, b, text].every((p) => barFrameOn(shownOf(p)!) === 9), 'all show frame 9');
    expect(stage.metrics.renderers, 'one renderer for the shared object, one for the text').to.equal(2);
  });

  it('data: and blob: URLs in src', async () => {
    const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage></lottie-sync-stage>`);
    const text = await (await fetch(BAR)).text();
    const dataUrl = player({ src: `data:application/json;base64,${btoa(text)}` }, 'width:100px;height:100px');
    const blobUrl = player({ src: URL.createObjectURL(new Blob([text], { type: 'application/json' })) }, 'width:100px;height:100px');
    stage.append(dataUrl, blobUrl);
    stage.seek(21 / 30);
    await waitUntil(() => [dataUrl, blobUrl].every((p) => p.currentFrame === 21 && barFrameOn(shownOf(p)!) === 21), 'both show frame 21', {
      timeout: 10000,
    });
  });

  it('data that is not an animation fails with not-lottie', async () => {
    await withWarnings(async () => {
      const stage = await fixture<LottieSyncStage>(html`<lottie-sync-stage></lottie-sync-stage>`);
      const bad = player({});
      bad.data = { hello: 'world' };
      await expectError(stage, bad, 'not-lottie');
    });
  });
});
