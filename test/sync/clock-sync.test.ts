import { expect } from '@open-wc/testing';
import { ClockSync, localClockResolution } from '../../src/sync/clock-sync.js';

/** A seeded random source, so the test is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

describe('ClockSync', () => {
  it('trusts the lowest-round-trip sample: within 2 ms of a known offset through 50-200 ms of jittered, asymmetric delay', () => {
    const random = seeded(42);
    const truth = 1234.5; // relay clock minus local clock
    const errors: number[] = [];
    for (let trial = 0; trial < 200; trial += 1) {
      const clock = new ClockSync();
      let local = 1e12;
      // In each burst of 8 one ping finds quiet queues (25 ms each way, 0.5 ms apart); the others
      // are delayed 25-100 ms each way, independently, so their offsets are off by up to 37 ms.
      const quiet = Math.floor(random() * 8);
      for (let ping = 0; ping < 8; ping += 1) {
        const up = ping === quiet ? 25 : 25 + random() * 75;
        const down = ping === quiet ? 25.5 : 25 + random() * 75;
        clock.addSample(local, Math.floor(local + up + truth), local + up + down);
        local += 100;
      }
      errors.push(Math.abs(clock.offsetAt(local) - truth));
    }
    errors.sort((a, b) => a - b);
    expect(errors[Math.floor(errors.length * 0.95)], 'p95 error (ms)').to.be.at.most(2);
  });

  it('combines the least-delayed outbound and return trips of different pings under independent jitter', () => {
    const random = seeded(7);
    const truth = -250.25;
    const errors: number[] = [];
    for (let trial = 0; trial < 300; trial += 1) {
      const clock = new ClockSync();
      let local = 5e11;
      // 32 pings, each way delayed 50-100 ms independently (a 100-200 ms round trip).
      for (let ping = 0; ping < 32; ping += 1) {
        const up = 50 + random() * 50;
        const down = 50 + random() * 50;
        clock.addSample(local, Math.floor(local + up + truth), local + up + down);
        local += 250;
      }
      errors.push(Math.abs(clock.offsetAt(local) - truth));
    }
    errors.sort((a, b) => a - b);
    // Trusting the single lowest-round-trip ping gives about 7 ms here; the bounds' intersection about 2.
    expect(errors[Math.floor(errors.length * 0.95)], 'p95 error (ms)').to.be.at.most(3);
  });

  it('is within 2 ms (p95) of a known offset after 128 pings through 50-200 ms of jitter each way, reading a whole-millisecond relay clock', () => {
    const random = seeded(11);
    const errors: number[] = [];
    const early: number[] = [];
    for (let trial = 0; trial < 300; trial += 1) {
      const truth = (random() - 0.5) * 20_000;
      const clock = new ClockSync();
      let local = 1.7e12 + random() * 1e9;
      for (let ping = 0; ping < 128; ping += 1) {
        const up = 50 + random() * 150;
        const down = 50 + random() * 150;
        clock.addSample(local, Math.floor(local + up + truth), local + up + down);
        if (ping === 11) early.push(Math.abs(clock.offsetAt(local) - truth));
        local += 100;
      }
      errors.push(Math.abs(clock.offsetAt(local) - truth));
    }
    const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]!;
    expect(p95(errors), 'p95 error after 128 pings (ms)').to.be.at.most(2);
    // The first burst's estimate is coarser, and the later pings are what bring it under 2 ms.
    expect(p95(early), 'p95 error after the first 12 (ms)').to.be.above(2);
  });

  it("is not biased by a page clock that reads whole milliseconds (Firefox, WebKit), once it knows the clock's step", () => {
    const random = seeded(23);
    /** Mean signed error (ms) over trials of 128 pings, 1-3 ms each way, both clocks read rounded down to 1 ms. */
    const meanError = (localResolutionMs: number) => {
      let sum = 0;
      const trials = 300;
      for (let trial = 0; trial < trials; trial += 1) {
        const truth = (random() - 0.5) * 10_000;
        const clock = new ClockSync(128, 250, 0.05, 1, 15, 120_000, localResolutionMs);
        let local = 1.7e12 + random() * 1e6;
        for (let ping = 0; ping < 128; ping += 1) {
          const up = 1 + random() * 2;
          const down = 1 + random() * 2;
          clock.addSample(Math.floor(local), Math.floor(local + up + truth), Math.floor(local + up + down));
          local += 100 + random();
        }
        sum += clock.estimate - truth;
      }
      return sum / trials;
    };
    // Taking the page's readings as exact puts every lower bound up to a millisecond too high.
    expect(Math.abs(meanError(0)), 'bias, readings taken as exact (ms)').to.be.above(0.3);
    expect(Math.abs(meanError(1)), 'bias, with the clock step (ms)').to.be.below(0.1);
  });

  it("finds the page clock's step, and gives up on a clock that never moves", () => {
    let t = 0;
    expect(localClockResolution(() => Math.floor((t += 0.05)))).to.equal(1);
    t = 0;
    expect(localClockResolution(() => Math.round((t += 0.013) * 10) / 10)).to.be.closeTo(0.1, 1e-9);
    expect(localClockResolution(() => 5)).to.equal(4);
    const real = localClockResolution();
    expect(real).to.be.above(0);
    expect(real).to.be.at.most(1);
  });

  it('follows clocks that drift apart, and a clock that is stepped', () => {
    const random = seeded(3);
    const clock = new ClockSync();
    let local = 1e12;
    let truth = 500;
    const errors = new Map<string, number[]>();
    const record = (phase: string, error: number) => errors.set(phase, [...(errors.get(phase) ?? []), error]);
    // 128 fast pings, then one every 2 s: 10 ppm of drift for four minutes, then the relay's clock is
    // stepped by -300 ms (more than a round trip) and later by +20 ms (less).
    for (let ping = 0; ping < 500; ping += 1) {
      const step = ping < 128 ? 100 : 2000;
      local += step;
      truth += step * 10e-6;
      if (ping === 250) truth -= 300;
      if (ping === 350) truth += 20;
      const up = 20 + random() * 10;
      const down = 20 + random() * 10;
      clock.addSample(local, Math.floor(local + up + truth), local + up + down);
      const error = Math.abs(clock.offsetAt(local) - truth);
      if (ping > 128 && ping < 250) record('drifting', error);
      if (ping > 251 && ping < 350) record('after a large step', error);
      if (ping > 350 + 61) record('2 minutes after a small step', error);
    }
    for (const [phase, values] of errors) expect(Math.max(...values), `largest error ${phase} (ms)`).to.be.below(2);
  });

  it('does not wobble as the window of samples moves: past `keep`, the samples it drops bound nothing', () => {
    const random = seeded(5);
    const truth = -1234;
    // The transport's schedule: fast pings until the window is full, then slower ones, through 50-200 ms of jitter.
    const clock = new ClockSync(128, 250, 0.05, 1, 15, 300_000);
    let local = 1.7e12;
    let widest = 0;
    let worst = 0;
    for (let ping = 0; ping < 600; ping += 1) {
      const before = clock.uncertainty;
      local += ping < 128 ? 100 : 500;
      const up = 50 + random() * 150;
      const down = 50 + random() * 150;
      clock.addSample(local, Math.floor(local + up + truth), local + up + down);
      clock.snap();
      if (ping >= 128) {
        // Only the drift allowance may widen it (15 ppm of the 0.5-0.8 s between answers), never a dropped bound.
        widest = Math.max(widest, clock.uncertainty - before);
        worst = Math.max(worst, Math.abs(clock.offsetAt(local) - truth));
      }
    }
    expect(clock.sampleCount).to.equal(128);
    expect(widest, 'largest widening from one sample to the next (ms)').to.be.at.most(0.02);
    expect(worst, 'largest error once the window is full (ms)').to.be.below(2);
  });

  it('after a reset (another relay), holds the offset in use until the new estimate is good, unless the new clock is another', () => {
    const random = seeded(9);
    const clock = new ClockSync(512, 250, 0.05, 0, 0, Infinity);
    let local = 0;
    const sample = (truth: number, jitter: number) => {
      local += 100;
      const up = 10 + random() * jitter;
      const down = 10 + random() * jitter;
      clock.addSample(local, local + up + truth, local + up + down);
    };
    for (let i = 0; i < 40; i += 1) sample(500, 2);
    clock.snap();
    const held = clock.offsetAt(local);
    expect(Math.abs(held - 500)).to.be.below(1);
    clock.reset();
    // The new relay's first samples, through a jittery path: alone they can be off by tens of ms.
    for (let i = 0; i < 100; i += 1) {
      sample(500, 150);
      expect(clock.offsetAt(local), `held at sample ${i + 1}`).to.equal(held);
    }
    for (let i = 0; i < 28; i += 1) sample(500, 150);
    const moved = clock.offsetAt(local + 1);
    expect(Math.abs(moved - held), 'then it follows the new estimate, slewing').to.be.below(1);
    // A relay whose clock is another (more than the slew bound away) is taken at once.
    clock.reset();
    sample(2000, 2);
    expect(clock.offsetAt(local), 'another clock: at once').to.be.closeTo(2000, 3);
  });

  it('ignores a malformed sample', () => {
    const clock = new ClockSync();
    clock.addSample(1000, 5000, 1010);
    const before = clock.offsetAt(1010);
    clock.addSample(2000, Number.NaN, 2010);
    clock.addSample(3000, 7000, 2990); // received before it was sent
    expect(clock.offsetAt(3000)).to.equal(before);
    expect(clock.sampleCount).to.equal(1);
  });

  it('slews small corrections without moving time backwards, and jumps large ones', () => {
    const clock = new ClockSync(128, 250, 0.05, 0, 0, Infinity);
    clock.addSample(0, 1000 + 5, 10); // offset 1000
    let now = 100;
    expect(clock.offsetAt(now)).to.equal(1000);
    clock.addSample(200, 200 + 900 + 1, 202); // offset 900, better round trip: -100 ms correction
    let shown = now + clock.offsetAt(now);
    for (let i = 0; i < 100; i += 1) {
      now += 16;
      const next = now + clock.offsetAt(now);
      expect(next, 'displayed time never goes back').to.be.at.least(shown);
      shown = next;
    }
    expect(clock.offsetAt(now + 10_000)).to.equal(900);
    clock.addSample(20_000, 20_000 + 5000 + 1, 20_002); // a 4.1 s correction: applied at once
    expect(clock.offsetAt(20_100)).to.equal(5000);
    expect(clock.roundTrip).to.equal(2);
  });

  it('takes its first estimate at once (no slewing from a zero it never measured), and snaps to later ones on request', () => {
    const clock = new ClockSync(128, 250, 0.05, 0, 0, Infinity);
    expect(clock.offsetAt(0), 'no estimate yet').to.equal(0);
    expect(clock.uncertainty).to.equal(Infinity);
    clock.addSample(0, 60 + 20, 40); // offset 60 within +-20
    expect(clock.offsetAt(50), 'the first estimate, whole').to.equal(60);
    expect(clock.uncertainty).to.equal(20);
    clock.addSample(100, 100 + 40 + 2, 104); // bounds 38..42, with the first: 40..42, a -19 ms correction
    expect(clock.uncertainty).to.equal(1);
    expect(clock.offsetAt(110), 'slewed while shown: 3 ms of the 19 in 60 ms').to.equal(57);
    clock.snap();
    expect(clock.offsetAt(111), 'snapped before anything is shown').to.equal(41);
  });
});
