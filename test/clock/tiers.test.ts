import { expect } from '@open-wc/testing';
import { AdaptiveRate, DEFAULT_TIERS, formatTiers, parseTiers, tierFor } from '../../src/clock/tiers.js';

describe('tiers', () => {
  it('default to the design doc table', () => {
    expect(formatTiers(DEFAULT_TIERS)).to.equal('5:60 15:30 25:15 *:10');
    expect([1, 5, 6, 15, 16, 25, 26, 300].map((n) => tierFor(DEFAULT_TIERS, n))).to.deep.equal([60, 60, 30, 30, 15, 15, 10, 10]);
  });

  it('parse a custom table', () => {
    const tiers = parseTiers(' 10:60, 100:24  *:12 ');
    expect(tiers).to.deep.equal([
      { maxPlayers: 10, fps: 60 },
      { maxPlayers: 100, fps: 24 },
      { maxPlayers: Infinity, fps: 12 },
    ]);
    expect(tierFor(tiers, 101)).to.equal(12);
    expect(parseTiers('*:30')).to.deep.equal([{ maxPlayers: Infinity, fps: 30 }]);
  });

  it('reject bad tables with a reason', () => {
    expect(() => parseTiers('')).to.throw(RangeError, 'empty');
    expect(() => parseTiers('5:60 15:30')).to.throw(RangeError, '*:fps');
    expect(() => parseTiers('15:60 5:30 *:10')).to.throw(RangeError, 'increase');
    expect(() => parseTiers('5=60 *:10')).to.throw(RangeError, 'players:fps');
    expect(() => parseTiers('5:0 *:10')).to.throw(RangeError, 'rate');
  });
});

describe('AdaptiveRate', () => {
  it('stays at the top rate while the draw cost fits', () => {
    const rate = new AdaptiveRate();
    for (let i = 0; i < 10; i += 1) expect(rate.update(2)).to.equal(60);
  });

  it('steps down only after sustained overload, straight to a rate that fits', () => {
    const rate = new AdaptiveRate();
    expect(rate.update(20)).to.equal(60); // one bad window is not enough
    expect(rate.update(2)).to.equal(60);
    expect(rate.update(20)).to.equal(60);
    expect(rate.update(20)).to.equal(20); // 20 ms fits half of 50 ms (20 fps)
  });

  it('steps up after a longer calm, straight to the highest rate with room to spare', () => {
    const rate = new AdaptiveRate();
    rate.update(40);
    rate.update(40);
    expect(rate.fps).to.equal(10);
    // 30 ms leaves no room for 15 fps (half of 66 ms, with a margin): no step up.
    for (let i = 0; i < 10; i += 1) rate.update(30);
    expect(rate.fps).to.equal(10);
    // 12 ms has room at 20 fps (half of 50 ms, with a margin), not at 30.
    for (let i = 0; i < 3; i += 1) expect(rate.update(12)).to.equal(10);
    expect(rate.update(12)).to.equal(20);
    for (let i = 0; i < 8; i += 1) rate.update(12);
    expect(rate.fps).to.equal(20);
    // 5 ms has room at 60.
    for (let i = 0; i < 3; i += 1) expect(rate.update(5)).to.equal(20);
    expect(rate.update(5)).to.equal(60);
  });
});

describe('AdaptiveRate pixel ratio', () => {
  it('steps the pixel ratio down only once the lowest rate is not enough, and back up first', () => {
    const rate = new AdaptiveRate();
    rate.update(300);
    rate.update(300);
    expect([rate.fps, rate.pixelScale]).to.deep.equal([5, 1]);
    rate.update(300);
    rate.update(300);
    expect([rate.fps, rate.pixelScale]).to.deep.equal([5, 0.75]);
    rate.update(300);
    rate.update(300);
    expect([rate.fps, rate.pixelScale]).to.deep.equal([5, 0.5]);
    rate.update(300);
    rate.update(300);
    expect(rate.pixelScale, 'no lower than the last step').to.equal(0.5);
    // Calm: the pixel ratio comes back before the rate does.
    for (let i = 0; i < 4; i += 1) rate.update(10);
    expect([rate.fps, rate.pixelScale]).to.deep.equal([5, 0.75]);
    for (let i = 0; i < 4; i += 1) rate.update(10);
    expect([rate.fps, rate.pixelScale]).to.deep.equal([5, 1]);
    // Then the rate, to the highest with room for 10 ms (30 fps: half of 33 ms, with a margin).
    for (let i = 0; i < 4; i += 1) rate.update(10);
    expect([rate.fps, rate.pixelScale]).to.deep.equal([30, 1]);
  });
});
