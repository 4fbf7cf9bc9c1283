#!/usr/bin/env node
// The sync benchmark: how closely two machines show the same frames.
//
//   node bench/sync.mjs                 (npm run bench:sync: three runs)
//   node bench/sync.mjs --runs 1 --seconds 40 --render main
//
// Two separate Chromium processes, one page each; the follower's clock is
// skewed by 1,234 ms. Two real relays share the room through a real
// redis-server. The leader reaches the relays directly; the follower reaches
// them through a TCP proxy that delays every chunk by 50-200 ms in each
// direction (order kept, as TCP keeps it). Each page logs, at every display
// frame, the frame it shows and its timeline position, on the true clock.
// From those logs, per run:
// - joining: from the follower's stage being added to its first frame and to
//   its first in-step frame (within one frame of the leader's), and how many
//   frames it showed before that that were not the room's;
// - changes: for each pause, play, seek and rate change by the leader, the
//   frames apart at random instants in the second after it, and for a pause
//   how far past the leader's pause frame the follower went;
// - the clock: the follower's offset estimate against the true skew, p50, p95
//   and max, in the first 13 s and after;
// - steady state: timeline position error p50/p95 and the share of random
//   instants at which both show the same frame;
// - failover: the relay the follower is on is killed; the gap until the
//   follower hears the other relay's welcome, and the frames apart after.
// Output: a summary per run, one JSON line per run in bench/results/sync-<time>.jsonl.
import { mkdirSync, appendFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, executablePath } from '../scripts/chromium.mjs';
import { startRedis, startRelay } from '../test/relay/helpers.mjs';
import { startServer } from './server.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '45' },
    skew: { type: 'string', default: '1234' },
    file: { type: 'string', default: 'dalek.json' },
    render: { type: 'string' },
    'jitter-min': { type: 'string', default: '50' },
    'jitter-max': { type: 'string', default: '200' },
    out: { type: 'string' },
  },
});
const SECONDS = Number(options.seconds);
const SKEW = Number(options.skew);
const JITTER = [Number(options['jitter-min']), Number(options['jitter-max'])];
const TOKEN = 'bench-token';
const FILE = `/node_modules/lottie-web/test/animations/${options.file}`;

/** A TCP proxy to `port` delaying every chunk by JITTER ms each way, order kept; notes when a relay's welcome passes. */
function jitteringProxy(port, onWelcome) {
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    const pipe = (from, to, watch) => {
      let last = 0;
      from.on('data', (chunk) => {
        const at = Math.max(last, Date.now() + JITTER[0] + Math.random() * (JITTER[1] - JITTER[0]));
        last = at;
        setTimeout(() => {
          if (!to.writable) return;
          to.write(chunk);
          // Frames from the relay are not masked: the welcome's type is plain text.
          if (watch && chunk.includes('"welcome"')) onWelcome(Date.now());
        }, at - Date.now());
      });
    };
    pipe(client, upstream, false);
    pipe(upstream, client, true);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        open: () => sockets.size > 0,
        close: () => (sockets.forEach((s) => s.destroy()), server.close()),
      }),
    ),
  );
}

async function until(condition, what, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const quantile = (values, q) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (value, digits = 1) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));
const summary = (values, digits = 1) => ({
  p50: round(quantile(values, 0.5), digits),
  p95: round(quantile(values, 0.95), digits),
  max: round(values.length ? Math.max(...values) : null, digits),
});

/** The record a page showed at true time `t` (its last display frame at or before t). */
function shownAt(frames, t) {
  let low = 0;
  let high = frames.length - 1;
  if (high < 0 || frames[0][0] > t) return null;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (frames[mid][0] <= t) low = mid;
    else high = mid - 1;
  }
  return frames[low];
}

async function run(index, server) {
  const redis = await startRedis();
  const relays = [await startRelay(['--token', TOKEN, '--redis', redis.url]), await startRelay(['--token', TOKEN, '--redis', redis.url])];
  const welcomes = [];
  const proxies = await Promise.all(relays.map((relay, i) => jitteringProxy(relay.port, (at) => welcomes.push([at, i]))));
  const browsers = [];
  const launch = async (skew) => {
    const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
    browsers.push(browser);
    const page = await browser.newPage({ viewport: { width: 400, height: 300 } });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    if (skew)
      await page.addInitScript((skew) => {
        const origin = performance.timeOrigin + skew;
        Object.defineProperty(Performance.prototype, 'timeOrigin', { get: () => origin });
        const now = Date.now;
        Date.now = () => now() + skew;
      }, skew);
    const query = new URLSearchParams({ skew: String(skew) });
    if (options.render) query.set('render', options.render);
    await page.goto(`${server.origin}/bench/pages/sync.html?${query}`);
    await page.waitForFunction(() => window.syncBench);
    return page;
  };
  try {
    const room = `bench${Date.now()}`;
    const leader = await launch(0);
    const follower = await launch(SKEW);
    await leader.evaluate((o) => window.syncBench.join(o), {
      urls: relays.map((r) => r.url).join(' '),
      room,
      token: TOKEN,
      leader: true,
      file: FILE,
    });
    await until(() => leader.evaluate(() => window.syncBench.drawing()), 'the leader to play');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await follower.evaluate((o) => window.syncBench.join(o), {
      urls: proxies.map((p) => `ws://127.0.0.1:${p.port}`).join(' '),
      room,
      leader: false,
      file: FILE,
    });
    const started = Date.now();
    const at = (seconds) => until(() => Date.now() - started >= seconds * 1000, `${seconds} s`, (seconds + 30) * 1000);
    // Steady state first (the clock's fast pings end at 13 s), then the changes, then a failover.
    const changes = [['pause'], ['play'], ['seek', 2.5], ['rate', 2], ['pause'], ['seek', 5.5], ['play'], ['rate', 1]];
    const changesFrom = Math.max(18, SECONDS - 25);
    for (const [i, [kind, value]] of changes.entries()) {
      await at(changesFrom + i * 2);
      await leader.evaluate(([k, v]) => window.syncBench.change(k, v), [kind, value]);
    }
    await at(changesFrom + changes.length * 2 + 1);
    // Failover: kill the relay the follower's connection goes through.
    const on = proxies.findIndex((proxy) => proxy.open());
    const killedAt = Date.now();
    relays[on].child.kill('SIGKILL');
    await at(changesFrom + changes.length * 2 + 6);
    const [leaderLog, followerLog, totalFrames, frameRate] = [
      await leader.evaluate(() => window.syncBench.log),
      await follower.evaluate(() => window.syncBench.log),
      await leader.evaluate(() => window.syncBench.totalFrames()),
      await leader.evaluate(() => window.syncBench.frameRate()),
    ];
    const welcomeAfter = welcomes.find(([time, proxy]) => time > killedAt && proxy !== on);
    return analyse({ leaderLog, followerLog, totalFrames, frameRate, killedAt, welcomeAfter: welcomeAfter?.[0] ?? null, index });
  } finally {
    await Promise.all(browsers.map((browser) => browser.close()));
    proxies.forEach((proxy) => proxy.close());
    relays.forEach((relay) => relay.child.kill('SIGKILL'));
    redis.child.kill('SIGKILL');
  }
}

/** Moves a page's log from its own clock onto the wall clock (see wallMinusPerf in the page). */
function onWallClock(log) {
  const shift = quantile(log.wallMinusPerf, 0.5) ?? 0;
  return {
    shift,
    addedAt: log.addedAt + shift,
    frames: log.frames.map(([t, frame, position, paused, readAt, rate]) => [t + shift, frame, position, paused, readAt + shift, rate]),
    clock: log.clock.map(([t, ...rest]) => [t + shift, ...rest]),
    calls: log.calls.map(([t, ...rest]) => [t + shift, ...rest]),
  };
}

function analyse({ leaderLog: leaderOwn, followerLog: followerOwn, totalFrames, frameRate, killedAt, welcomeAfter, index }) {
  const [leaderLog, followerLog] = [onWallClock(leaderOwn), onWallClock(followerOwn)];
  const L = leaderLog.frames.filter(([, frame]) => frame >= 0);
  const F = followerLog.frames;
  const apart = (a, b) => {
    const d = Math.abs(a - b) % totalFrames;
    return Math.min(d, totalFrames - d);
  };
  /** Frames between what the two pages show on screen at true time t (null before both show one). */
  const framesApartAt = (t) => {
    const l = shownAt(L, t);
    const f = shownAt(F, t);
    return l && f && f[1] >= 0 ? apart(l[1], f[1]) : null;
  };
  /** The leader's timeline position at true time t (s), from its readings (index 4: when read). */
  const byReading = [...L].sort((a, b) => a[4] - b[4]);
  const leaderPositionAt = (t) => {
    const i = byReading.findIndex((record) => record[4] > t);
    if (i <= 0) return null;
    const [a, b] = [byReading[i - 1], byReading[i]];
    return a[2] + ((b[2] - a[2]) * (t - a[4])) / (b[4] - a[4]);
  };
  const randomInstants = (from, to, count) => Array.from({ length: count }, () => from + Math.random() * (to - from));
  const fraction = (values, keep) => (values.length ? round(values.filter(keep).length / values.length, 3) : null);

  // Joining: the follower's first frame, and its first within one frame of the leader's.
  const firstFrameMs = (log) => {
    const first = log.frames.find(([, frame]) => frame >= 0);
    return first ? Math.round(first[0] - log.addedAt) : null;
  };
  const added = followerLog.addedAt;
  const drawn = F.filter(([, frame]) => frame >= 0);
  const inStepIndex = drawn.findIndex(([t, frame]) => {
    const l = shownAt(L, t);
    return l && apart(l[1], frame) <= 1;
  });
  const inStep = inStepIndex >= 0 ? drawn[inStepIndex][0] : null;

  // Changes: when each page first shows the change (its display frame), and a pause's overshoot.
  const calls = leaderLog.calls;
  // A change is on screen from the first display frame whose timeline position leaves the course it was
  // on before the call (by more than LEAVES_MS); the flags (paused, rate) turn at the call, not on screen.
  const LEAVES_MS = 8;
  const landed = (frames, t) => {
    const before = frames.filter((record) => record[4] < t && record[4] > t - 500);
    if (before.length < 2) return null;
    const [a, b] = [before[0], before.at(-1)];
    const velocity = (b[2] - a[2]) / (b[4] - a[4]);
    const found = frames.find(
      (record) => record[4] >= t && Math.abs(record[2] - (b[2] + velocity * (record[4] - b[4]))) * 1000 > LEAVES_MS,
    );
    return found?.[0] ?? null;
  };
  const changes = calls.map(([t, kind, value], i) => {
    const end = Math.min(t + 1500, calls[i + 1]?.[0] ?? Infinity);
    const [l, f] = [landed(L, t), landed(F, t)];
    const change = {
      kind,
      value,
      leaderLandsMs: l === null ? null : Math.round(l - t),
      followerLandsMs: f === null ? null : Math.round(f - t),
      apartMs: l === null || f === null ? null : Math.round(f - l),
    };
    if (kind === 'pause') {
      const held = shownAt(L, end)?.[1];
      const signed = F.filter(([time, frame]) => time >= t && time <= end && frame >= 0).map(([, frame]) => {
        const d = (((frame - held) % totalFrames) + totalFrames) % totalFrames;
        return d > totalFrames / 2 ? d - totalFrames : d;
      });
      change.overshootFrames = Math.max(0, ...signed);
      change.sameHeldFrame = shownAt(F, end)?.[1] === held;
    }
    return change;
  });

  // Steady state: from 2 s after joining to the first change, and from 1.5 s after the last to the failover.
  const firstCall = calls[0]?.[0] ?? killedAt;
  const lastCall = calls.at(-1)?.[0] ?? firstCall;
  const steadyWindows = [
    [(inStep ?? added) + 2000, firstCall],
    [lastCall + 1500, killedAt],
  ];
  const steadyInstants = steadyWindows.flatMap(([from, to]) => randomInstants(from, to, Math.round((to - from) / 5)));
  const steadyApart = steadyInstants.map(framesApartAt).filter((d) => d !== null);
  // At each of the follower's display frames: its position against the leader's at the moment it read it,
  // and whether the frame it chose is the one the leader's timeline names at that display frame's time
  // (what sync decides; which frame is on screen at an instant also depends on the two displays' phases).
  const steadyFrames = F.filter(([t, frame]) => frame >= 0 && steadyWindows.some(([from, to]) => t >= from && t < to));
  const positionErrors = [];
  const roomFrame = [];
  for (const record of steadyFrames) {
    const leaderPosition = leaderPositionAt(record[4]);
    if (leaderPosition === null) continue;
    positionErrors.push(Math.abs(record[2] - leaderPosition) * 1000);
    const atFrame = leaderPositionAt(record[0]);
    if (atFrame !== null) roomFrame.push(apart(Math.floor(atFrame * frameRate + 1e-6) % totalFrames, record[1]) === 0);
  }

  // The clock: the follower's estimate against the truth (relay minus follower = -skew), from its first
  // estimate to the failover (a new relay starts a new estimate), in the first 13 s and after.
  const estimated = followerLog.clock.filter(([t, , , samples]) => samples > 0 && t < killedAt);
  const since = estimated[0]?.[0] ?? added;
  const clockErrors = (from, to) =>
    estimated.filter(([t]) => t >= since + from && t < since + to).map(([, offset]) => Math.abs(offset + SKEW - followerLog.shift));
  const signedAt = (second) => {
    const record = estimated.find(([t]) => t >= since + second * 1000);
    return record ? round(record[1] + SKEW - followerLog.shift, 1) : null;
  };
  const leaderClock = leaderLog.clock.filter(([t, , , samples]) => samples > 0 && t < killedAt && t > leaderLog.addedAt + 13_000);
  const failoverApart = randomInstants(killedAt, killedAt + 4000, 1000)
    .map(framesApartAt)
    .filter((d) => d !== null);
  return {
    run: index,
    file: options.file,
    frameRate,
    render: options.render ?? 'default',
    jitterMs: JITTER,
    skewMs: SKEW,
    join: {
      leaderFirstFrameMs: firstFrameMs(leaderLog),
      firstFrameMs: firstFrameMs(followerLog),
      inStepMs: inStep === null ? null : Math.round(inStep - added),
      roundTripMs: round(estimated.find(([, , rtt]) => rtt !== null)?.[2] ?? null),
      framesShownBeforeInStep: Math.max(0, inStepIndex),
      firstFramesApart: drawn.slice(0, 10).map(([t, frame]) => apart(shownAt(L, t)?.[1] ?? frame, frame)),
    },
    changes,
    clockErrorMs: {
      first13s: summary(clockErrors(0, 13_000), 2),
      from3to13s: summary(clockErrors(3_000, 13_000), 2),
      after13s: summary(clockErrors(13_000, Infinity), 2),
      bySecond: Array.from({ length: 16 }, (_, second) => signedAt(second)),
      leader: summary(
        leaderClock.map(([, offset]) => Math.abs(offset - leaderLog.shift)),
        2,
      ),
    },
    steady: {
      positionErrorMs: summary(positionErrors),
      sameFrameOnScreen: fraction(steadyApart, (d) => d === 0),
      roomsFrame: fraction(roomFrame, (same) => same),
      framesApartMax: Math.max(...steadyApart),
    },
    failover: {
      welcomeGapMs: welcomeAfter === null ? null : welcomeAfter - killedAt,
      framesApartMax: Math.max(...failoverApart),
      sameFrameOnScreen: fraction(failoverApart, (d) => d === 0),
    },
  };
}

function print(result) {
  const { join, clockErrorMs: clock, steady, failover } = result;
  console.log(`run ${result.run}: ${result.file} at ${result.frameRate} fps, render ${result.render}`);
  console.log(
    `  join: first frame ${join.firstFrameMs} ms, in step ${join.inStepMs} ms after added (the leader's first frame: ${join.leaderFirstFrameMs} ms; round trip ${join.roundTripMs} ms); ${join.framesShownBeforeInStep} frames shown before; first frames apart ${join.firstFramesApart.join(' ')}`,
  );
  for (const change of result.changes) {
    const pause =
      change.kind === 'pause' ? `; overshoot ${change.overshootFrames} frames, held on the leader's frame: ${change.sameHeldFrame}` : '';
    console.log(
      `  ${change.kind}${change.value === undefined ? '' : ` ${change.value}`}: on screen ${change.leaderLandsMs} ms (leader) and ${change.followerLandsMs} ms (follower) after the call, ${change.apartMs} ms apart${pause}`,
    );
  }
  console.log(
    `  clock error (ms): first 13 s p50 ${clock.first13s.p50} p95 ${clock.first13s.p95} max ${clock.first13s.max} (3-13 s p95 ${clock.from3to13s.p95}); after p50 ${clock.after13s.p50} p95 ${clock.after13s.p95} max ${clock.after13s.max}; the leader's after 13 s p95 ${clock.leader.p95}`,
  );
  console.log(`  clock error by second (ms, signed): ${clock.bySecond.join(' ')}`);
  console.log(
    `  steady: position error p50 ${steady.positionErrorMs.p50} p95 ${steady.positionErrorMs.p95} ms; the room's frame at ${steady.roomsFrame} of its display frames; same frame on screen ${steady.sameFrameOnScreen}; at most ${steady.framesApartMax} apart`,
  );
  console.log(
    `  failover: the other relay's welcome ${failover.welcomeGapMs} ms after the kill; at most ${failover.framesApartMax} frames apart, same frame ${failover.sameFrameOnScreen}`,
  );
}

const server = await startServer();
const out = options.out ?? `bench/results/sync-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`;
mkdirSync('bench/results', { recursive: true });
try {
  for (let i = 1; i <= Number(options.runs); i += 1) {
    const result = await run(i, server);
    print(result);
    appendFileSync(out, `${JSON.stringify(result)}\n`);
  }
  console.log(`results: ${out}`);
} finally {
  server.close();
}
