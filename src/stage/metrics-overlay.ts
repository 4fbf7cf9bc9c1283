import type { StageMetrics } from '../metrics.js';

const MEGABYTE = 1024 * 1024;

/** The `show-metrics` overlay's text. */
export function formatMetrics(m: StageMetrics): string {
  const heap = m.heapBytes === null ? '' : `\nheap      ${(m.heapBytes / MEGABYTE).toFixed(1)} MB`;
  return (
    `tier      ${m.tierFps} fps (${m.tierSource}), ${m.pixelRatio}x pixels\n` +
    `ticks/s   ${m.ticksPerSecond}\n` +
    `frames/s  ${m.framesDrawnPerSecond} (${m.rendersPerSecond} rendered)\n` +
    `draw      ${m.drawTimeP50.toFixed(1)} / ${m.drawTimeP95.toFixed(1)} ms (p50/p95)\n` +
    (m.workers > 0 ? `workers   ${m.workers}, ${m.workerDrawTimeP95.toFixed(1)} ms a tick (p95)\n` : `workers   none (main thread)\n`) +
    `spread    ${m.spread} frames\n` +
    `players   ${m.playersDrawing} drawing, ${m.playersVisible} visible / ${m.playersTotal}` +
    (m.playersSandboxed > 0 ? `, ${m.playersSandboxed} in the sandbox\n` : '\n') +
    `canvases  ${m.canvasesLeased} + ${m.canvasesIdle} idle, ${m.renderers} lottie-web` +
    heap +
    (m.clockOffsetMs === undefined
      ? ''
      : `\nclock     ${m.clockOffsetMs.toFixed(1)} ms offset, ${m.roundTripMs?.toFixed(1) ?? '?'} ms round trip`)
  );
}
