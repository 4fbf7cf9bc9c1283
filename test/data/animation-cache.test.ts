import { expect } from '@open-wc/testing';
import { AnimationCache } from '../../src/data/animation-cache.js';
import { readLottieMeta } from '../../src/data/lottie-data.js';
import { LottieSyncError } from '../../src/errors.js';
import { ANIMATIONS, BAR, counted, fresh, requestCount } from '../helpers.js';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(LottieSyncError);
    return (error as LottieSyncError).code;
  }
  throw new Error('expected a rejection');
}

describe('AnimationCache', () => {
  it('fetches and parses a URL once for many claims, and evicts after the last release', async () => {
    const cache = new AnimationCache();
    const url = new URL(counted(`${ANIMATIONS}/dalek.json`), location.href).href;
    const leases = Array.from({ length: 50 }, () => cache.acquire(url));
    const entries = await Promise.all(leases.map((lease) => lease.entry));
    expect(new Set(entries).size).to.equal(1);
    expect(await requestCount(url)).to.equal(1);
    expect(cache.refCount(url)).to.equal(50);
    expect(entries[0]!.meta.frameRate).to.be.greaterThan(0);
    leases.forEach((lease) => lease.release());
    leases[0]!.release(); // idempotent
    expect(cache.refCount(url)).to.equal(0);
    expect(cache.size).to.equal(0);
    await cache.acquire(url).entry;
    expect(await requestCount(url)).to.equal(2);
  });

  it('hands each lottie-web instance its own copy of the data', async () => {
    const cache = new AnimationCache();
    const entry = await cache.acquire(fresh(BAR)).entry;
    const first = entry.takeData() as { layers: unknown[] };
    const second = entry.takeData() as { layers: unknown[] };
    expect(first).to.not.equal(second);
    expect(second).to.deep.equal(first);
    first.layers.length = 0; // lottie-web mutates what it is given
    expect((entry.takeData() as { layers: unknown[] }).layers).to.have.length(1);
  });

  it('names what is wrong with bad files', async () => {
    const cache = new AnimationCache();
    expect(await codeOf(cache.acquire(fresh('/test/fixtures/missing.json')).entry)).to.equal('http-error');
    expect(await codeOf(cache.acquire(fresh('/test/fixtures/not-json.json')).entry)).to.equal('invalid-json');
    expect(await codeOf(cache.acquire(fresh('/test/fixtures/empty.json')).entry)).to.equal('empty');
    expect(await codeOf(cache.acquire(fresh('/test/fixtures/not-lottie.json')).entry)).to.equal('not-lottie');
    expect(await codeOf(cache.acquire(fresh(BAR), 100).entry)).to.equal('too-large');
    expect(await codeOf(cache.acquire('http://127.0.0.1:1/unreachable.json').entry)).to.equal('fetch-failed');
  });

  it('forgets a failed load so that a later claim tries again', async () => {
    const cache = new AnimationCache();
    const url = new URL(counted('/test/fixtures/missing.json'), location.href).href;
    await codeOf(cache.acquire(url).entry);
    expect(cache.size).to.equal(0);
    await codeOf(cache.acquire(url).entry);
    expect(await requestCount(url)).to.equal(2);
  });
});

describe('readLottieMeta', () => {
  it('reads frames, size and markers', () => {
    const meta = readLottieMeta({
      fr: 25,
      ip: 10,
      op: 60,
      w: 200,
      h: 100,
      layers: [],
      markers: [
        { tm: 20, cm: 'intro', dr: 10 },
        { tm: 40, cm: '{"name":"json-named"}', dr: 5 },
      ],
    });
    expect(meta.totalFrames).to.equal(50);
    expect(meta.markers).to.deep.equal([
      { name: 'intro', start: 10, end: 20 },
      { name: 'json-named', start: 30, end: 35 },
    ]);
  });

  it('rejects JSON that is not an animation', () => {
    for (const bad of [[], 'text', { fr: 30, ip: 0, op: 10, w: 1, h: 1 }, { fr: 30, ip: 5, op: 5, w: 1, h: 1, layers: [] }, null]) {
      expect(() => readLottieMeta(bad))
        .to.throw(LottieSyncError)
        .with.property('code', 'not-lottie');
    }
  });
});
