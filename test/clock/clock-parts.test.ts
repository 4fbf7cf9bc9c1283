import { expect } from '@open-wc/testing';
import { BudgetedQueue } from '../../src/clock/budget.js';
import { DrawRecorder, circularSpread, quantile } from '../../src/clock/draw-recorder.js';
import { stepLazy, type LazyState } from '../../src/clock/sync-group.js';

describe('stepLazy (lazy followers)', () => {
  const FPS = 30;
  it('runs free at the timeline velocity while within the drift allowed', () => {
    const state: LazyState = { position: 0, rate: 1, at: 0 };
    expect(stepLazy(state, 0.02, 1, 20, FPS, 2)).to.be.closeTo(0.02, 1e-9);
    expect(state.rate).to.equal(1);
  });

  it('nudges its rate to close a small drift, and seeks over a large one', () => {
    const state: LazyState = { position: 0, rate: 1, at: 0 };
    // 4 frames behind (allowed 2): faster, by at most half.
    stepLazy(state, 0.15, 1, 10, FPS, 2);
    expect(state.rate).to.be.above(1).and.at.most(1.5);
    // 30 frames behind: a seek.
    expect(stepLazy(state, 2, 1, 20, FPS, 2)).to.equal(2);
    expect(state.rate).to.equal(1);
  });

  it('steps at most maxStep a tick, so a stalled page leaves it behind', () => {
    const state: LazyState = { position: 0, rate: 1, at: 0 };
    expect(stepLazy(state, 0.3, 1, 300, FPS, 100, 0.05)).to.be.closeTo(0.05, 1e-9);
  });
});

describe('DrawRecorder', () => {
  it('keeps one second of ticks: rates, renders added as backends answer, cost percentiles', () => {
    const recorder = new DrawRecorder();
    for (let i = 0; i < 30; i += 1) {
      recorder.begin(i * 50, 4);
      recorder.finish(i % 10 === 9 ? 9 : 1);
      recorder.addRenders(1);
    }
    const summary = recorder.summary(29 * 50);
    expect(summary.ticksPerSecond).to.equal(21); // ticks at 450..1450 ms
    expect(summary.framesDrawnPerSecond).to.equal(84);
    expect(summary.rendersPerSecond).to.equal(21);
    expect(summary.drawTimeP50).to.equal(1);
    expect(summary.drawTimeP95).to.equal(9);
    expect(recorder.costsSince(1400)).to.deep.equal([1, 9]);
  });

  it('quantiles and circular spread', () => {
    expect(quantile([], 0.5)).to.equal(0);
    expect(quantile([5, 1, 3], 0.5)).to.equal(3);
    expect(circularSpread([0, 29], 30), 'a wrap is not a jump').to.equal(1);
    expect(circularSpread([3, 10], 30)).to.equal(7);
    expect(circularSpread([4, 4], 30)).to.equal(0);
  });
});

describe('BudgetedQueue', () => {
  it('runs jobs in order, in tasks of at most its budget, and skips deleted ones', async () => {
    const ran: number[] = [];
    const tasks: number[] = [];
    let task = 0;
    const queue = new BudgetedQueue<number>((n) => {
      const until = performance.now() + 3;
      while (performance.now() < until);
      ran.push(n);
      tasks.push(task);
    }, 8);
    for (let n = 0; n < 10; n += 1) queue.push(n);
    queue.delete(4);
    expect(queue.has(5)).to.equal(true);
    const ticking = setInterval(() => (task += 1), 0);
    await new Promise<void>((resolve) => {
      const check = () => (ran.length === 9 ? resolve() : setTimeout(check, 5));
      check();
    });
    clearInterval(ticking);
    expect(ran).to.deep.equal([0, 1, 2, 3, 5, 6, 7, 8, 9]);
    expect(new Set(tasks).size, 'spread over several tasks').to.be.at.least(3);
  });
});
