// The page's side of the sandbox's frames on their way to a render worker:
// a canvas whose frame the worker never showed is named, so its player is
// drawn again; one the sandbox itself did not draw is left to its answer.
import { expect } from '@open-wc/testing';
import type { DrawJob } from '../../src/render/draw-jobs.js';
import { ShownTicks } from '../../src/stage/backends/shown-ticks.js';

const JOBS: readonly DrawJob[] = [
  ['s1 20x10 a.json', 3, [7, 8]],
  ['s1 30x30 b.json', 9, [4]],
];

function ticks() {
  const lost: (readonly number[])[] = [];
  return { shown: new ShownTicks((ids) => lost.push(ids)), lost };
}

describe('ticks of the sandbox shown by its render worker', () => {
  it('names the canvases the worker did not show, whichever of its word and the answer comes first', () => {
    const { shown, lost } = ticks();
    shown.sent(1, JOBS);
    shown.sent(2, JOBS);
    expect(shown.size).to.equal(2);
    shown.shown(1, [4]);
    expect(lost, 'not before the sandbox answered').to.deep.equal([]);
    shown.answered(1, [], 100);
    shown.answered(2, [], 100);
    shown.shown(2, []);
    expect(lost).to.deep.equal([[4]]);
    expect(shown.size).to.equal(0);
  });

  it('leaves out what the sandbox said it did not draw (its answer handles those)', () => {
    const { shown, lost } = ticks();
    shown.sent(1, JOBS);
    shown.answered(1, [['s1 20x10 a.json', 3, 'no renderer']], 100);
    shown.shown(1, [7, 8, 4]);
    expect(lost).to.deep.equal([[4]]);
  });

  it('takes every frame of a tick for lost when the worker never speaks of it, counting from the answer (and afresh after a stall)', () => {
    const { shown, lost } = ticks();
    shown.sent(1, JOBS);
    shown.expire(100_000);
    expect(lost, 'a sandbox still drawing is the watchdog’s to judge').to.deep.equal([]);
    shown.answered(1, [], 1000);
    shown.expire(2500);
    expect(lost).to.deep.equal([]);
    shown.extend(2500);
    shown.expire(4000);
    expect(lost).to.deep.equal([]);
    shown.expire(4600);
    expect(lost).to.deep.equal([[7, 8, 4]]);
    expect(shown.size).to.equal(0);
    // A late word of it changes nothing.
    shown.shown(1, [4]);
    expect(lost.length).to.equal(1);
  });
});
