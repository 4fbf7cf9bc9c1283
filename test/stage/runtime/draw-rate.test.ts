import { expect } from '@open-wc/testing';
import { DEFAULT_TIERS } from '../../../src/clock/tiers.js';
import type { LottieSyncTierEvent } from '../../../src/events.js';
import { DrawRate } from '../../../src/stage/runtime/draw-rate.js';
import { FakeHost } from './fakes.js';

describe('DrawRate (runtime part)', () => {
  it('is adaptive unless told; a table takes the rate for the player count and announces a change', () => {
    const host = new FakeHost();
    let players = 3;
    const rate = new DrawRate(host, () => players);
    expect([rate.tierFps, rate.source]).to.deep.equal([60, 'adaptive']);
    rate.setPolicy({ kind: 'table', tiers: DEFAULT_TIERS });
    expect([rate.tierFps, rate.source]).to.deep.equal([60, 'table']);
    players = 20;
    rate.update();
    expect(rate.tierFps).to.equal(15);
    const event = host.events.at(-1) as LottieSyncTierEvent;
    expect([event.fps, event.previousFps, event.source]).to.deep.equal([15, 60, 'table']);
    rate.setPolicy({ kind: 'fixed', fps: 24 });
    expect([rate.tierFps, rate.source]).to.deep.equal([24, 'fixed']);
    rate.setPolicy({ kind: 'table', tiers: DEFAULT_TIERS });
    expect(rate.tierFps).to.equal(15);
  });

  it('a tick is due after the interval, or at once when something waits to be drawn or the timeline is paused', () => {
    const rate = new DrawRate(new FakeHost(), () => 100);
    rate.setPolicy({ kind: 'table', tiers: DEFAULT_TIERS }); // 10 draws a second
    expect(rate.due(0, false), 'dirty at first').to.equal(true);
    rate.drawing(0);
    expect(rate.due(50, false)).to.equal(false);
    expect(rate.due(50, true), 'paused').to.equal(true);
    expect(rate.due(97, false), 'within the vsync slack').to.equal(true);
    rate.markDirty();
    expect(rate.due(10, false)).to.equal(true);
  });

  it('in the adaptive mode steps the rate down under sustained cost, then the pixel scale, and back up', () => {
    const rate = new DrawRate(new FakeHost(), () => 1);
    rate.setPolicy({ kind: 'adaptive' });
    let now = 0;
    const windows = (count: number, cost: number) => {
      for (let w = 0; w < count; w += 1) {
        for (let t = 0; t < 10; t += 1) {
          now += 50;
          rate.recorder.begin(now, 1);
          rate.recorder.finish(cost);
        }
        if (rate.adaptDue(now)) rate.adapt(now, 0);
      }
    };
    windows(3, 40);
    expect(rate.tierFps).to.be.below(20);
    windows(6, 500);
    expect(rate.pixelScale).to.be.below(1);
    windows(40, 0.1);
    expect([rate.tierFps, rate.pixelScale]).to.deep.equal([60, 1]);
  });

  it('counts a worker that holds the ticks back slower than the lowest rate as cost', () => {
    const rate = new DrawRate(new FakeHost(), () => 1);
    rate.setPolicy({ kind: 'adaptive' });
    let now = 0;
    for (let w = 0; w < 12; w += 1) {
      // Two ticks a window of 500 ms, each held back by its worker: 250 ms apart, slower than 5 a second.
      for (let t = 0; t < 2; t += 1) {
        now += 250;
        rate.heldBackByWorker();
        rate.recorder.begin(now, 1);
        rate.recorder.finish(0.1);
      }
      rate.adapt(now, 1);
    }
    expect(rate.pixelScale).to.be.below(1);
  });
});
