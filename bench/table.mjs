// Turns benchmark results into a markdown table: each figure, and its ratio
// against plain lottie-web at the same N and file.

const COLUMNS = [
  { key: 'readyMs', label: 'ready (s)', format: (v) => (v === null ? 'never' : (v / 1000).toFixed(2)) },
  { key: 'rafPerSecond', label: 'main rAF/s', format: (v) => v.toFixed(0) },
  { key: 'mainThreadBusy', label: 'main busy', format: (v) => `${(v * 100).toFixed(0)}%` },
  { key: 'longTaskMs', label: 'long tasks (ms)', format: (v) => v.toFixed(0) },
  { key: 'longTaskMaxAll', label: 'longest task from start (ms)', format: (v) => v.toFixed(0) },
  { key: 'drawsPerPlayerPerSecond', label: 'draws/player/s', format: (v) => v.toFixed(1) },
  { key: 'distinctFramesShare', label: 'frames shown', format: (v) => `${(v * 100).toFixed(0)}%` },
  { key: 'totalFramesPerSecond', label: 'frames/s, all players', format: (v) => v.toFixed(0) },
  { key: 'spreadP50', label: 'spread p50', format: (v) => String(v) },
  { key: 'spreadP95', label: 'spread p95', format: (v) => String(v) },
  { key: 'heapPerPlayerBytes', label: 'heap/player (MB)', format: (v) => (v / 1e6).toFixed(2) },
  { key: 'domNodesPerPlayer', label: 'DOM nodes/player', format: (v) => v.toFixed(1) },
  { key: 'processMemoryBytes', label: 'browser memory (MB)', format: (v) => (v / 1e6).toFixed(0) },
  { key: 'cpuCores', label: 'CPU (cores)', format: (v) => v.toFixed(2) },
  { key: 'stageTicksPerSecond', label: 'stage ticks/s', format: (v) => String(v) },
  { key: 'stageWorkers', label: 'workers', format: (v) => String(v) },
];

function ratio(value, base) {
  if (value === null || base === null || base === undefined || !Number.isFinite(value) || !Number.isFinite(base)) return '';
  if (base === 0) return value === 0 ? ' (=)' : '';
  return ` (${(value / base).toFixed(2)}x)`;
}

export function markdownTable(results) {
  const header = ['variant', 'N', 'file', ...COLUMNS.map((c) => c.label)];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const result of results) {
    const base = results.find(
      (r) =>
        r.variant === 'plain' &&
        r.n === result.n &&
        r.file === result.file &&
        r.onScreen === result.onScreen &&
        !!r.stagger === !!result.stagger,
    );
    const cells = COLUMNS.map((column) => {
      const value = result[column.key];
      const text = value === null || value === undefined ? 'n/a' : column.format(value);
      return result === base || !base ? text : `${text}${ratio(value, base[column.key])}`;
    });
    const n = result.onScreen ? `${result.n} (${result.onScreen} on screen)` : String(result.n);
    const file = result.stagger ? `${result.file} (staggered)` : result.file;
    lines.push(`| ${[result.variant, n, file, ...cells].join(' | ')} |`);
  }
  return `${lines.join('\n')}\n\nRatios in parentheses are against plain lottie-web at the same N and file.\n`;
}
