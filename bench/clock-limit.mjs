// How well any ping schedule can know a relay's clock through the jitter of
// `npm run bench:sync`: the stage's own clock estimator (dist/sync/clock-sync.js,
// run as the page runs it) fed by a model of that benchmark's proxy, which
// delays every chunk by a uniform 50-200 ms in each direction and keeps their
// order (a chunk never overtakes the one before it). No browser, no network:
// only the arithmetic of the samples, over many seeds, so a schedule's clock
// error can be read apart from everything else the benchmark measures.
//
//   node bench/clock-limit.mjs [--seeds 40] [--jitter-min 50] [--jitter-max 200]
//
// For each schedule: the clock error (|estimate - truth|) sampled every 50 ms
// from the first estimate, as `npm run bench:sync` reads it: p95 within the
// first 13 s, within 3-13 s and after 13 s (to 45 s), the median and the worst
// of the seeds' p95s.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';

const { values: options } = parseArgs({
  options: {
    seeds: { type: 'string', default: '40' },
    'jitter-min': { type: 'string', default: '50' },
    'jitter-max': { type: 'string', default: '200' },
  },
});
const SEEDS = Number(options.seeds);
const [JMIN, JMAX] = [Number(options['jitter-min']), Number(options['jitter-max'])];
const DURATION_MS = 45_000;

if (!existsSync(new URL('../dist/sync/clock-sync.js', import.meta.url))) {
  console.error('dist/sync/clock-sync.js is missing: run `npm run build` first.');
  process.exit(1);
}
const { ClockSync } = await import('../dist/sync/clock-sync.js');

/** A small seeded generator (the runs are repeatable). */
function random(seed) {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** The local send times of a schedule: a burst, then `fastEvery` ms until `fastUntil` pings, then `slowEvery`. */
function sendTimes({ burst = 12, burstGap = 20, fastEvery = 100, fastUntil = 128, slowEvery = 500 }) {
  const times = Array.from({ length: burst }, (_, i) => i * burstGap);
  for (let t = burst * burstGap + fastEvery; t < DURATION_MS; t += times.length < fastUntil ? fastEvery : slowEvery) times.push(t);
  return times;
}

/** One seed: the clock error (ms) every 50 ms from the first estimate, as [time since it, error]. */
function run(schedule, seed) {
  const next = random(seed);
  const truth = -1234.37; // relay minus local, as the benchmark's skew
  const clock = new ClockSync(512, undefined, undefined, 1, undefined, 300_000, 0.1);
  const page = (t) => Math.floor(t * 10) / 10; // Chromium's 0.1 ms steps
  let upLast = 0;
  let downLast = 0;
  const answers = [];
  for (const sent of sendTimes(schedule)) {
    // Each direction keeps its order: a chunk waits for the one before it.
    const arrived = Math.max(upLast, sent + JMIN + next() * (JMAX - JMIN));
    upLast = arrived;
    const back = Math.max(downLast, arrived + JMIN + next() * (JMAX - JMIN));
    downLast = back;
    answers.push([back, page(sent), Math.floor(arrived + truth), page(back)]);
  }
  answers.sort((a, b) => a[0] - b[0]);
  const errors = [];
  let first = null;
  for (let t = 0, i = 0; t < DURATION_MS; t += 50) {
    for (; i < answers.length && answers[i][0] <= t; i += 1) clock.addSample(answers[i][1], answers[i][2], answers[i][3]);
    if (clock.sampleCount === 0) continue;
    first ??= t;
    errors.push([t - first, Math.abs(clock.estimate - truth)]);
  }
  return errors;
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

const SCHEDULES = {
  "the stage's (10 a second until 128 samples, then 2)": {},
  '20 a second until 256, then 2': { fastEvery: 50, fastUntil: 256 },
  '100 a second throughout': { fastEvery: 10, fastUntil: Infinity },
  '10 a second throughout': { fastEvery: 100, fastUntil: Infinity },
  '6.7 a second throughout (one per jitter range)': { fastEvery: 150, fastUntil: Infinity },
  '4 a second throughout': { fastEvery: 250, fastUntil: Infinity },
};

/**
 * A join, answer by answer: the stage is added at 0, its connection's handshake
 * takes one round trip through the proxy, then its pings go out as the stage's
 * burst (12, 20 ms apart). With the join carried in the handshake itself, the
 * welcome would be a first sample at one round trip. For `counts` answers:
 * when the estimate resting on that many is in, and how far off it is.
 */
function join(seed, counts) {
  const next = random(seed);
  const truth = -1234.37;
  const delay = () => JMIN + next() * (JMAX - JMIN);
  const up = delay();
  const open = up + delay();
  // The handshake as a sample: sent at 0, read by the relay at `up`, its answer here at `open`.
  const samples = [[open, 0, Math.floor(up + truth), open]];
  let upLast = open;
  let downLast = open;
  for (const sent of sendTimes({})
    .slice(0, 12)
    .map((t) => t + open)) {
    const arrived = Math.max(upLast, sent + delay());
    upLast = arrived;
    const back = Math.max(downLast, arrived + delay());
    downLast = back;
    samples.push([back, sent, Math.floor(arrived + truth), back]);
  }
  samples.sort((a, b) => a[0] - b[0]);
  const clock = new ClockSync(512, undefined, undefined, 1, undefined, 300_000, 0.1);
  const result = new Map();
  samples.forEach(([at, t0, t1, t3], i) => {
    clock.addSample(t0, t1, t3);
    if (counts.includes(i + 1)) result.set(i + 1, { at, error: Math.abs(clock.estimate - truth), roundTrip: open });
  });
  return result;
}

console.log(`clock error (ms) through ${JMIN}-${JMAX} ms of ordered jitter each way, ${SEEDS} seeds: median / worst of each seed's p95`);
console.log('| schedule | first 13 s | 3-13 s | after 13 s |');
console.log('| --- | --- | --- | --- |');
for (const [name, schedule] of Object.entries(SCHEDULES)) {
  const windows = [
    [0, 13_000],
    [3_000, 13_000],
    [13_000, Infinity],
  ].map(() => []);
  for (let seed = 1; seed <= SEEDS; seed += 1) {
    const errors = run(schedule, seed);
    [
      [0, 13_000],
      [3_000, 13_000],
      [13_000, Infinity],
    ].forEach(([from, to], w) =>
      windows[w].push(
        quantile(
          errors.filter(([t]) => t >= from && t < to).map(([, e]) => e),
          0.95,
        ),
      ),
    );
  }
  const cell = (values) => `${quantile(values, 0.5).toFixed(1)} / ${Math.max(...values).toFixed(1)}`;
  console.log(`| ${name} | ${windows.map(cell).join(' | ')} |`);
}

const COUNTS = [1, 2, 4, 8, 9];
const joins = Array.from({ length: SEEDS }, (_, i) => join(i + 1, COUNTS));
console.log(
  `\njoining through the same jitter, ${SEEDS} seeds (the handshake's round trip: p50 ${quantile(
    joins.map((j) => j.get(1).roundTrip),
    0.5,
  ).toFixed(0)} ms): the estimate on the first n answers (the first is the handshake's, were the join carried in it)`,
);
console.log('| answers | in after the stage is added (ms, p50 / p95) | clock error (ms, p50 / p95 / max) |');
console.log('| --- | --- | --- |');
for (const count of COUNTS) {
  const at = joins.map((j) => j.get(count).at);
  const error = joins.map((j) => j.get(count).error);
  console.log(
    `| ${count} | ${quantile(at, 0.5).toFixed(0)} / ${quantile(at, 0.95).toFixed(0)} | ${quantile(error, 0.5).toFixed(1)} / ${quantile(error, 0.95).toFixed(1)} / ${Math.max(...error).toFixed(1)} |`,
  );
}
