import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers.js';
import { CanvasPool, type CanvasKind } from '../../src/stage/backends/canvas-pool.js';
import type { DrawAnswer } from '../../src/stage/backends/draw-backend.js';
import { WorkerShard } from '../../src/stage/backends/worker-shard.js';
import { barEntry } from './runtime/fakes.js';

function recordingKind() {
  const log: string[] = [];
  let made = 0;
  const kind: CanvasKind = {
    create: () => {
      made += 1;
      log.push(`create ${made}`);
      return document.createElement('canvas');
    },
    resize: (_canvas, width, height) => log.push(`resize ${width}x${height}`),
    clear: () => log.push('clear'),
    destroy: () => log.push('destroy'),
  };
  return { kind, log };
}

describe('CanvasPool', () => {
  it('lends canvases of a size, reuses returned ones up to maxIdle and frees the rest', () => {
    const { kind, log } = recordingKind();
    const pool = new CanvasPool(kind, 1);
    const a = pool.acquire(10, 10);
    const b = pool.acquire(10, 10);
    expect(a.getAttribute('part')).to.equal('canvas');
    expect(pool.resize(a, 10, 10), 'same size').to.equal(false);
    expect(pool.resize(a, 20, 10)).to.equal(true);
    expect(pool.leased).to.equal(2);
    pool.release(a);
    pool.release(b);
    expect([pool.leased, pool.available]).to.deep.equal([0, 1]);
    expect(pool.acquire(5, 5)).to.equal(a);
    expect(log).to.deep.equal(['create 1', 'resize 10x10', 'create 2', 'resize 10x10', 'resize 20x10', 'clear', 'destroy', 'resize 5x5']);
  });
});

describe('WorkerShard', () => {
  it('builds a renderer in its worker, draws a tick into a transferred canvas and answers once', async () => {
    // No frame memory: every draw is lottie-web's (with kept frames, bar.json's 30 frames become copies).
    const shard = new WorkerShard(null, 0, () => {});
    try {
      const entry = await barEntry();
      const { key, ready } = shard.acquireRenderer({ entry, width: 40, height: 40, assets: [] });
      expect(shard.hasFile(entry.url)).to.equal(true);
      await ready;
      const canvas = shard.pool.acquire(40, 40);
      const id = shard.canvasId(canvas)!;
      const answers: DrawAnswer[] = [];
      shard.submit(
        [
          [key, 12, [id]],
          ['no such key', 3, [id]],
        ],
        (answer) => answers.push(answer),
        performance.now(),
      );
      expect(shard.busy).to.equal(true);
      await waitUntil(() => answers.length === 1, 'the worker answers');
      expect(shard.busy).to.equal(false);
      expect(answers[0]!.renders).to.equal(1);
      expect(answers[0]!.missed).to.deep.equal([['no such key', 3, 'no renderer']]);
      // The worker times its drawing. Where its clock reads whole milliseconds (WebKit), one small draw
      // can read 0: more ticks, on other frames, until one crosses a millisecond (the slowest of the last second).
      for (let frame = 0; frame < 300 && shard.costP(1, performance.now()) === 0; frame += 1) {
        const next = new Promise<void>((resolve) => shard.submit([[key, frame % 30, [id]]], () => resolve(), performance.now()));
        await next;
      }
      expect(shard.costP(1, performance.now())).to.be.greaterThan(0);
      shard.releaseRenderer(key);
      expect(shard.rendererCount).to.equal(0);
      expect(shard.hasFile(entry.url), 'its text is dropped with the last renderer').to.equal(false);
    } finally {
      shard.terminate();
    }
  });

  it('reports a worker that crashes, and one that stops answering', async () => {
    const failures: string[] = [];
    const crashing = new WorkerShard('/test/fixtures/crashing-worker.js', 0, (_shard, message) => failures.push(message));
    const entry = await barEntry();
    const { key, ready } = crashing.acquireRenderer({ entry, width: 20, height: 20, assets: [] });
    await ready.catch(() => {});
    for (let seq = 0; seq < 30 && failures.length === 0; seq += 1) {
      if (!crashing.busy) crashing.submit([[key, seq % 30, []]], () => {}, performance.now());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitUntil(() => failures.length === 1, 'the crash is reported', { timeout: 5000 });
    expect(crashing.alive).to.equal(false);
    const silent = new WorkerShard(null, 0, () => {});
    try {
      silent.submit([], () => {}, 0);
      expect(silent.overdue(3000, 4000)).to.equal(false);
      expect(silent.overdue(5000, 4000)).to.equal(true);
      silent.extendDeadline(5000);
      expect(silent.overdue(5000, 4000), 'a stalled page gives it a fresh deadline').to.equal(false);
    } finally {
      silent.terminate();
    }
  });
});
