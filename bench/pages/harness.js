// Shared by every benchmark page. A variant calls `benchHarness.install(source)`
// with a source that reports, for each player, its file, the file's frame
// count and rate, and the whole frame it shows now. The driver then calls
// `benchHarness.start()` and `benchHarness.stop()` around the measured window.
(() => {
  const params = new URLSearchParams(location.search);
  const longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });

  /** Largest distance between frames on a loop of `total` frames. */
  function circularSpread(frames, total) {
    const unique = [...new Set(frames)].sort((a, b) => a - b);
    if (unique.length < 2) return 0;
    let largestGap = total - unique[unique.length - 1] + unique[0];
    for (let i = 1; i < unique.length; i += 1) largestGap = Math.max(largestGap, unique[i] - unique[i - 1]);
    return total - largestGap;
  }

  function quantile(values, q) {
    if (values.length === 0) return null;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  let source = null;
  let sampling = null;

  function sample(now) {
    if (!sampling) return;
    const frames = source.frames();
    sampling.ticks += 1;
    const groups = new Map();
    for (let i = 0; i < frames.length; i += 1) {
      const frame = frames[i];
      if (frame !== sampling.last[i]) {
        if (sampling.last[i] !== undefined) sampling.changes[i] += 1;
        sampling.last[i] = frame;
      }
      // A player that shows nothing (off screen, with culling) has no frame to be out of sync with.
      if (frame < 0) continue;
      // Staggered players each play on their own clock: there is no spread to measure.
      if (params.has('stagger')) continue;
      const file = source.fileOf(i);
      if (!groups.has(file)) groups.set(file, []);
      groups.get(file).push(frame);
    }
    let worst = 0;
    for (const [file, group] of groups) worst = Math.max(worst, circularSpread(group, source.totalFramesOf(file)));
    sampling.spreads.push(worst);
    sampling.end = now;
    requestAnimationFrame(sample);
  }

  window.benchHarness = {
    params,
    readyAt: null,
    install(variantSource) {
      source = variantSource;
    },
    /** The variant calls this once every player has drawn its first frame. */
    markReady() {
      if (this.readyAt === null) this.readyAt = performance.now();
    },
    start() {
      const count = source.count();
      sampling = {
        begin: performance.now(),
        end: performance.now(),
        ticks: 0,
        last: new Array(count),
        changes: new Array(count).fill(0),
        spreads: [],
        drawsAtStart: source.draws ? source.draws() : null,
      };
      requestAnimationFrame(sample);
    },
    stop() {
      const s = sampling;
      sampling = null;
      const seconds = (s.end - s.begin) / 1000;
      // Frames shown and draws are medians over the players on screen (all of them, without onScreen).
      const onScreen = Math.min(s.changes.length, Number(params.get('onScreen') || s.changes.length));
      const allDraws = s.drawsAtStart ? source.draws().map((d, i) => d - s.drawsAtStart[i]) : s.changes;
      const draws = allDraws.slice(0, onScreen);
      const changes = s.changes.slice(0, onScreen);
      const frameRates = Array.from({ length: onScreen }, (_, i) => source.frameRateOf(source.fileOf(i)));
      const windowTasks = longTasks.filter((t) => t.start >= s.begin && t.start <= s.end);
      const stage = source.stageMetrics ? source.stageMetrics() : null;
      return {
        seconds,
        rafPerSecond: s.ticks / seconds,
        drawsPerPlayerPerSecond: quantile(
          draws.map((d) => d / seconds),
          0.5,
        ),
        // Frames that reached the screen per second, all players on screen together.
        totalFramesPerSecond: draws.reduce((sum, d) => sum + d, 0) / seconds,
        distinctFramesShare: quantile(
          changes.map((c, i) => c / seconds / frameRates[i]),
          0.5,
        ),
        spreadP50: params.has('stagger') ? null : quantile(s.spreads, 0.5),
        spreadP95: params.has('stagger') ? null : quantile(s.spreads, 0.95),
        longTaskMs: windowTasks.reduce((sum, t) => sum + t.duration, 0),
        longTaskMax: windowTasks.reduce((max, t) => Math.max(max, t.duration), 0),
        // From navigation to the end of the window: start-up included.
        longTaskMaxAll: longTasks.filter((t) => t.start <= s.end).reduce((max, t) => Math.max(max, t.duration), 0),
        longTasksOver50All: longTasks.filter((t) => t.start <= s.end && t.duration > 50).length,
        // lottie-sync only: what the stage says of itself at the end of the window.
        stageTicksPerSecond: stage ? stage.ticksPerSecond : null,
        stageTierFps: stage ? stage.tierFps : null,
        stageWorkers: stage ? stage.workers : null,
      };
    },
  };

  /**
   * Lays out and starts the lottie-web players of the `plain` and `broadcast`
   * pages. Plain: each player loads its own copy of the data and plays on its
   * own clock. `broadcast`: the first player of each file is the master and
   * sends its frame to the others with goToAndStop on each of its frames.
   */
  window.benchLottieWeb = function benchLottieWeb({ broadcast }) {
    const count = Number(params.get('n'));
    const files = window.benchFiles(params, count);
    const animations = [];
    const draws = new Array(count).fill(0);
    const followers = new Map();
    let loaded = 0;
    window.benchLayout(document.body, count, (i) => {
      const cell = document.createElement('div');
      cell.className = 'cell';
      queueMicrotask(() => {
        const file = files[i];
        const isMaster = broadcast && !followers.has(file);
        const autoplay = !broadcast || isMaster;
        const animation = window.lottie.loadAnimation({ container: cell, renderer: 'canvas', path: file, loop: true, autoplay });
        if (isMaster) {
          followers.set(file, []);
          animation.addEventListener('enterFrame', () => {
            for (const follower of followers.get(file)) follower.goToAndStop(animation.currentFrame, true);
          });
        } else if (broadcast) {
          followers.get(file).push(animation);
        }
        animation.addEventListener('drawnFrame', () => {
          if (animation.isLoaded) draws[i] += 1;
        });
        animation.addEventListener('DOMLoaded', () => {
          // Staggered: every player starts on a different frame.
          if (params.has('stagger')) animation.goToAndPlay((i * 7) % animation.totalFrames, true);
          loaded += 1;
          if (loaded === count) window.benchHarness.markReady();
        });
        animations[i] = animation;
      });
      return cell;
    });
    const first = (file) => animations[files.indexOf(file)];
    window.benchHarness.install({
      count: () => count,
      frames: () => animations.map((a) => Math.floor(a.currentFrame)),
      draws: () => [...draws],
      fileOf: (i) => files[i],
      totalFramesOf: (file) => first(file).totalFrames,
      frameRateOf: (file) => first(file).frameRate,
    });
  };

  /** Lays out `count` cells of 96 px; with `onScreen`, only that many fit in the viewport. */
  window.benchLayout = function benchLayout(container, count, makeCell) {
    const onScreen = Number(params.get('onScreen') || count);
    const grid = (parent) => {
      const element = document.createElement('div');
      element.className = 'grid';
      parent.append(element);
      return element;
    };
    const visible = grid(container);
    const hidden = onScreen < count ? grid(container) : visible;
    if (hidden !== visible) hidden.style.marginTop = '200vh';
    for (let i = 0; i < count; i += 1) (i < onScreen ? visible : hidden).append(makeCell(i));
  };
})();
