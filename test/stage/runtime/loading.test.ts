import { expect } from '@open-wc/testing';
import { Loading } from '../../../src/stage/runtime/loading.js';
import type { StagePlayer } from '../../../src/stage/runtime/stage-player.js';
import { FakeCache, FakeHost, fakePlayer } from './fakes.js';

function loading() {
  const host = new FakeHost();
  const cache = new FakeCache();
  const arrived: StagePlayer[] = [];
  const dropped: StagePlayer[] = [];
  const respecified: StagePlayer[] = [];
  const part = new Loading(host, cache.asCache(), {
    arrived: (player) => arrived.push(player),
    dropped: (player) => dropped.push(player),
    respecified: (player) => respecified.push(player),
  });
  return { host, cache, part, arrived, dropped, respecified };
}

describe('Loading (runtime part)', () => {
  it('claims the data of a new src, and builds what the player plays once it is set up', async () => {
    const { part, arrived, cache } = loading();
    const player = fakePlayer({ src: 'https://x.test/a.json', segment: [10, 20] });
    part.update(player, true);
    expect(player.load.status).to.equal('loading');
    await cache.settled();
    expect(arrived).to.deep.equal([player]);
    part.finish(player);
    expect(player.load.status).to.equal('ready');
    expect(player.load.spec).to.deep.include({ start: 10, end: 20, loop: false });
    expect(player.view.loadedWith).to.deep.equal({ totalFrames: 10, duration: 1 / 3 });
    // A new src lets go of the old claim.
    player.config = { ...player.config, src: 'https://x.test/b.json' };
    part.update(player, true);
    expect(cache.released).to.deep.equal(['https://x.test/a.json']);
  });

  it('plays the whole file, and says why, for a segment outside it or an unknown marker', async () => {
    const { part, cache } = loading();
    const outside = fakePlayer({ src: 'https://x.test/a.json', segment: [10, 40] });
    const unknown = fakePlayer({ src: 'https://x.test/a.json', marker: 'nope' });
    const marked = fakePlayer({ src: 'https://x.test/a.json', marker: 'outro' });
    for (const player of [outside, unknown, marked]) part.update(player, true);
    await cache.settled();
    for (const player of [outside, unknown, marked]) part.finish(player);
    expect(outside.load.spec).to.deep.include({ start: 0, end: 30 });
    expect(outside.view.errors.map((e) => e.code)).to.deep.equal(['invalid-attribute']);
    expect(unknown.view.errors.map((e) => e.code)).to.deep.equal(['unknown-marker']);
    expect(unknown.view.errors[0]!.message).to.contain('"intro", "outro"');
    expect(marked.load.spec).to.deep.include({ start: 20, end: 30 });
  });

  it('fails a player whose data does not load, and tells the rest of the stage', async () => {
    const { host, part, dropped, cache } = loading();
    const player = fakePlayer({ src: 'https://x.test/fail.json' });
    part.update(player, true);
    await cache.settled();
    expect(player.load.status).to.equal('failed');
    expect(player.view.errors.map((e) => e.code)).to.deep.equal(['http-error']);
    expect(dropped).to.include(player);
    expect(host.readyChecks).to.be.greaterThan(0);
  });

  it('follows the stage loop unless the player sets its own, and rebuilds on other changes', async () => {
    const { part, respecified, cache } = loading();
    const follows = fakePlayer({ src: 'https://x.test/a.json' });
    const own = fakePlayer({ src: 'https://x.test/a.json', loop: false });
    for (const player of [follows, own]) part.update(player, true);
    await cache.settled();
    for (const player of [follows, own]) part.finish(player);
    part.loop = true;
    part.respecifyAll([follows, own]);
    expect([follows.load.spec!.loop, own.load.spec!.loop]).to.deep.equal([true, false]);
    follows.config = { ...follows.config, direction: -1 };
    part.update(follows, false);
    expect(follows.load.spec!.direction).to.equal(-1);
    expect(respecified.filter((p) => p === follows).length).to.equal(3);
  });

  it('an empty src is empty, not loading', () => {
    const { part } = loading();
    const player = fakePlayer({ src: null });
    part.update(player, true);
    expect(player.load.status).to.equal('empty');
    expect(player.pending).to.equal(false);
  });
});
