// Per-player playback: loop counts, intermissions, speeds, loop and end
// events, triggers that start a player (or group) on a timeline of its own,
// and players that play alone.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { LottieSyncGroup } from '../../src/group/lottie-sync-group.js';
import type { LottieSyncPlayer } from '../../src/player/lottie-sync-player.js';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import type { LottieSyncEndEvent } from '../../src/events.js';
import { ReducedMotionController } from '../../src/element/reduced-motion.js';
import { BAR, barFrameOn, shownOf, frames, sampleFrames, waitUntil } from '../helpers.js';

const BOX = 'width:100px;height:100px';

/** Circular distance between two frames of the 30-frame bar. */
function apart(a: number, b: number): number {
  const d = Math.abs(a - b) % 30;
  return Math.min(d, 30 - d);
}

function bar(attributes = ''): string {
  return `<lottie-sync-player src="${BAR}" style="${BOX}" ${attributes}></lottie-sync-player>`;
}

async function stageOf(content: string, attributes = 'autoplay loop'): Promise<LottieSyncStage> {
  const stage = await fixture<LottieSyncStage>(
    html`<div .innerHTML=${`<lottie-sync-stage ${attributes}>${content}</lottie-sync-stage>`}></div>`,
  );
  return stage.querySelector('lottie-sync-stage')!;
}

function pointer(target: Element, type: 'pointerover' | 'pointerout'): void {
  target.dispatchEvent(new PointerEvent(type, { bubbles: true, composed: true, relatedTarget: document.body }));
}

describe('per-player playback', () => {
  it('loop="3" plays three passes, fires a loop event after each but the last and an end event, and stops on the final frame', async () => {
    const stage = await stageOf(bar('id="counted" loop="3" speed="4"') + bar('id="free" loop'));
    const player = stage.querySelector<LottieSyncPlayer>('#counted')!;
    const loops: number[] = [];
    player.addEventListener('lottie-sync-loop', (event) => loops.push(event.passes));
    const ended = await oneEvent(player, 'lottie-sync-end');
    expect((ended as LottieSyncEndEvent).passes).to.equal(3);
    expect(ended.detail.passes).to.equal(3);
    expect(loops).to.deep.equal([1, 2]);
    await frames(3);
    expect(player.currentFrame).to.equal(29);
    await waitUntil(() => barFrameOn(shownOf(player)!) === 29, 'the final frame is on the canvas');
    const free = stage.querySelector<LottieSyncPlayer>('#free')!;
    const before = free.currentFrame;
    await waitUntil(() => free.currentFrame !== before, 'the stage plays on');
    expect(player.currentFrame).to.equal(29);
  });

  it('holds the final frame for the intermission between passes', async () => {
    const stage = await stageOf(bar('loop intermission="400" speed="3"'));
    const player = stage.querySelector<LottieSyncPlayer>('lottie-sync-player')!;
    await oneEvent(player, 'lottie-sync-loop');
    // The loop event comes as the next pass starts: wait for it to be drawn, then for its end.
    await waitUntil(() => player.currentFrame < 29, 'the next pass', { timeout: 3000, interval: 5 });
    await waitUntil(() => player.currentFrame === 29, 'at the end of the pass', { timeout: 3000, interval: 5 });
    const held: number[] = [];
    await sampleFrames(250, () => held.push(player.currentFrame));
    expect([...new Set(held)], 'frames shown in the intermission').to.deep.equal([29]);
  });

  it('a per-player speed is a multiple of the stage time: players with the same speed show the same frame on every tick', async () => {
    const stage = await stageOf(bar('class="double" speed="2"') + bar('class="double" speed="2"') + bar('id="normal"'), 'loop');
    const [a, b] = [...stage.querySelectorAll<LottieSyncPlayer>('.double')];
    const normal = stage.querySelector<LottieSyncPlayer>('#normal')!;
    stage.seek(4 / 30);
    await waitUntil(() => normal.currentFrame === 4 && a!.currentFrame === 8, 'twice as far');
    stage.play();
    let worst = 0;
    await sampleFrames(800, () => (worst = Math.max(worst, apart(a!.currentFrame, b!.currentFrame))));
    expect(worst, 'frames apart between the two players of speed 2').to.equal(0);
  });

  it('play(), pause() and seek() on a player give it a timeline of its own until the stage is controlled', async () => {
    const stage = await stageOf(bar('id="mine"') + bar('id="other"'), 'loop');
    const [mine, other] = [stage.querySelector<LottieSyncPlayer>('#mine')!, stage.querySelector<LottieSyncPlayer>('#other')!];
    await waitUntil(() => mine.currentFrame === 0 && other.currentFrame === 0);
    mine.seek(12 / 30);
    await waitUntil(() => mine.currentFrame === 12, 'the player alone moves');
    expect(other.currentFrame).to.equal(0);
    mine.play();
    expect(mine.paused).to.equal(false);
    expect(stage.paused).to.equal(true);
    stage.seek(3 / 30);
    await waitUntil(() => mine.currentFrame === 3 && other.currentFrame === 3, 'the stage takes it back');
  });
});

describe('play-on triggers', () => {
  it('hover: plays while the pointer is over the player, pauses when it leaves; the others are not disturbed', async () => {
    const stage = await stageOf(bar('id="icon" play-on="hover"') + bar('id="other"'), 'loop');
    const [icon, other] = [stage.querySelector<LottieSyncPlayer>('#icon')!, stage.querySelector<LottieSyncPlayer>('#other')!];
    await waitUntil(() => icon.currentFrame === 0);
    await frames(10);
    expect(icon.currentFrame, 'still before the hover').to.equal(0);
    pointer(icon, 'pointerover');
    await waitUntil(() => icon.currentFrame > 3, 'plays on hover');
    expect(other.currentFrame, 'the stage is not played').to.equal(0);
    pointer(icon, 'pointerout');
    await frames(2);
    const held = icon.currentFrame;
    await frames(10);
    expect(icon.currentFrame, 'paused when the pointer left').to.equal(held);
    stage.play();
    await waitUntil(() => other.currentFrame > 2, 'the stage plays');
    expect(icon.currentFrame, 'a trigger keeps its own timeline when the stage is controlled').to.equal(held);
  });

  it('click: toggles, also with Enter and Space; it is a focusable toggle button', async () => {
    const stage = await stageOf(bar('id="button" play-on="click" description="A spinning bar"'), 'loop');
    const button = stage.querySelector<LottieSyncPlayer>('#button')!;
    await waitUntil(() => button.currentFrame === 0);
    expect([button.getAttribute('role'), button.getAttribute('tabindex'), button.getAttribute('aria-label')]).to.deep.equal([
      'button',
      '0',
      'A spinning bar',
    ]);
    button.click();
    await waitUntil(() => button.currentFrame > 2, 'plays after a click');
    await waitUntil(() => button.getAttribute('aria-pressed') === 'true');
    button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(button.paused).to.equal(true);
    button.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
    expect(button.paused).to.equal(false);
  });

  it('visible: plays in view and pauses out of it; visible-once keeps playing', async () => {
    const spacer = '<div style="height:3000px"></div>';
    const stage = await stageOf(spacer + bar('id="each" play-on="visible"') + bar('id="once" play-on="visible-once"'), 'loop');
    const [each, once] = [stage.querySelector<LottieSyncPlayer>('#each')!, stage.querySelector<LottieSyncPlayer>('#once')!];
    try {
      await frames(10);
      expect(each.paused && once.paused, 'not played out of view').to.equal(true);
      once.scrollIntoView();
      await waitUntil(() => !each.paused && !once.paused, 'both play in view', { timeout: 5000 });
      window.scrollTo(0, 0);
      await waitUntil(() => each.paused, 'visible pauses out of view', { timeout: 5000 });
      expect(once.paused, 'visible-once plays on').to.equal(false);
    } finally {
      window.scrollTo(0, 0);
    }
  });

  it('a group with play-on plays all its players together on its own timeline', async () => {
    const stage = await stageOf(
      `<lottie-sync-group play-on="hover">${bar('class="member"')}${bar('class="member"')}</lottie-sync-group>${bar('id="other"')}`,
      'loop',
    );
    const group = stage.querySelector<LottieSyncGroup>('lottie-sync-group')!;
    const members = [...stage.querySelectorAll<LottieSyncPlayer>('.member')];
    await waitUntil(() => members.every((p) => p.currentFrame === 0));
    pointer(members[0]!, 'pointerover');
    await waitUntil(() => members.every((p) => p.currentFrame > 3), 'the group plays');
    expect(members[0]!.currentFrame).to.equal(members[1]!.currentFrame);
    expect(stage.querySelector<LottieSyncPlayer>('#other')!.currentFrame).to.equal(0);
    expect(group.paused).to.equal(false);
  });
});

describe('a player alone', () => {
  it('plays with autoplay, and play(), pause() and seek() control it', async () => {
    const alone = await fixture<LottieSyncPlayer>(html`<lottie-sync-player src=${BAR} style=${BOX} autoplay loop></lottie-sync-player>`);
    await waitUntil(() => alone.currentFrame > 3, 'autoplays', { timeout: 5000 });
    expect(alone.stage).to.equal(null);
    alone.pause();
    alone.seek(20 / 30);
    await waitUntil(() => alone.currentFrame === 20 && barFrameOn(shownOf(alone)!) === 20);
    expect(alone.paused).to.equal(true);
    alone.play();
    await waitUntil(() => alone.currentFrame !== 20);
  });

  it('does not autoplay without autoplay, nor under reduced motion unless the page opts in', async () => {
    const still = await fixture<LottieSyncPlayer>(html`<lottie-sync-player src=${BAR} style=${BOX} loop></lottie-sync-player>`);
    await waitUntil(() => still.currentFrame === 0);
    await frames(10);
    expect(still.currentFrame).to.equal(0);
    const original = ReducedMotionController.query;
    ReducedMotionController.query = () => ({ matches: true, addEventListener() {}, removeEventListener() {} }) as unknown as MediaQueryList;
    try {
      const reduced = await fixture<LottieSyncPlayer>(
        html`<lottie-sync-player src=${BAR} style=${BOX} autoplay loop></lottie-sync-player>`,
      );
      await waitUntil(() => reduced.currentFrame === 0);
      await frames(10);
      expect(reduced.currentFrame, 'reduced motion: a still frame').to.equal(0);
      const moving = await fixture<LottieSyncPlayer>(
        html`<lottie-sync-player src=${BAR} style=${BOX} autoplay loop ignore-reduced-motion></lottie-sync-player>`,
      );
      await waitUntil(() => moving.currentFrame > 3, 'the page opted in');
    } finally {
      ReducedMotionController.query = original;
    }
  });
});
