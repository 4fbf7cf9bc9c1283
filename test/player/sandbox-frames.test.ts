// The render worker's end of the sandbox's channel: whatever a file's
// expressions make the sandbox send, only the frames the page asked for reach
// canvases, and only the canvases the page named.
import { expect } from '@open-wc/testing';
import { SandboxFrames, type ExpectedJob } from '../../src/render/sandbox-frames.js';
import { waitUntil } from '../helpers.js';

async function bitmap(width: number, height: number): Promise<ImageBitmap> {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.fillRect(0, 0, width, height);
  return createImageBitmap(canvas);
}

/** A channel with SandboxFrames at one end, recording what it shows; `send` posts as the sandbox would. */
function link() {
  const channel = new MessageChannel();
  const shown: [number, number, readonly number[]][] = [];
  const confirmed: [number, readonly number[]][] = [];
  const frames = new SandboxFrames(
    channel.port2,
    (image, ids) => shown.push([image.width, image.height, ids]),
    (seq, lost) => confirmed.push([seq, lost]),
  );
  const send = (message: unknown, transfer: Transferable[] = []) => channel.port1.postMessage(message, transfer);
  /** Sends tick `seq`'s two frames of JOBS, as the sandbox draws them. */
  const sendBoth = async (seq: number) => {
    const [a, b] = [await bitmap(20, 10), await bitmap(30, 30)];
    send(
      {
        t: 'frames',
        seq,
        frames: [
          ['s1 20x10 a.json', 3, a],
          ['s1 30x30 b.json', 9, b],
        ],
      },
      [a, b],
    );
  };
  return { frames, shown, confirmed, send, sendBoth, port: channel.port2 };
}

const JOBS: readonly ExpectedJob[] = [
  ['s1 20x10 a.json', 3, [7, 8], 20, 10],
  ['s1 30x30 b.json', 9, [4], 30, 30],
];

describe('frames from the sandbox, checked by the render worker', () => {
  it('shows each asked-for frame in the canvases the page named, whichever of the two words comes first', async () => {
    const { frames, shown, sendBoth, send } = link();
    frames.expect(1, JOBS);
    await sendBoth(1);
    await waitUntil(() => shown.length === 2, 'both shown');
    expect(shown).to.deep.equal([
      [20, 10, [7, 8]],
      [30, 30, [4]],
    ]);
    // The sandbox's answer before the page's word of the tick: it waits for it.
    const c = await bitmap(20, 10);
    send({ t: 'frames', seq: 2, frames: [['s1 20x10 a.json', 3, c]] }, [c]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shown.length).to.equal(2);
    frames.expect(2, JOBS);
    expect(shown.at(-1)).to.deep.equal([20, 10, [7, 8]]);
  });

  it('drops frames not asked for, of another size, twice over, for another tick, or not bitmaps at all', async () => {
    const { frames, shown, send } = link();
    frames.expect(5, JOBS);
    const [other, wrongSize, twice, first] = [await bitmap(20, 10), await bitmap(64, 64), await bitmap(20, 10), await bitmap(20, 10)];
    send(
      {
        t: 'frames',
        seq: 5,
        frames: [
          ['s1 20x10 a.json', 4, other], // a frame this tick did not ask for
          ['s1 30x30 b.json', 9, wrongSize], // asked for, but not at the renderer's size
          ['s1 20x10 a.json', 3, first],
          ['s1 20x10 a.json', 3, twice], // the same frame again
          ['s1 20x10 a.json', 3, 'not a bitmap'],
        ],
      },
      [other, wrongSize, first, twice],
    );
    send({ t: 'drawn', seq: 5 });
    send('nonsense');
    await waitUntil(() => shown.length > 0, 'the one good frame');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shown).to.deep.equal([[20, 10, [7, 8]]]);
    // A tick the page never spoke of shows nothing, even once later ticks come.
    const stray = await bitmap(20, 10);
    send({ t: 'frames', seq: 4, frames: [['s1 20x10 a.json', 3, stray]] }, [stray]);
    for (let seq = 6; seq < 12; seq += 1) frames.expect(seq, []);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shown.length).to.equal(1);
    frames.close();
  });

  it('confirms each tick, naming the canvases whose frames did not come (dropped, or a tick whose frames were lost)', async () => {
    const { frames, shown, confirmed, send, sendBoth, port } = link();
    frames.expect(1, JOBS);
    const a = await bitmap(20, 10);
    send({ t: 'frames', seq: 1, frames: [['s1 20x10 a.json', 3, a]] }, [a]);
    await waitUntil(() => confirmed.length === 1, 'tick 1 confirmed');
    expect(confirmed).to.deep.equal([[1, [4]]]);
    // Tick 2's frames never come; tick 3's do: the sandbox answers in order, so tick 2's were lost.
    frames.expect(2, JOBS);
    frames.expect(3, JOBS);
    await sendBoth(3);
    await waitUntil(() => confirmed.length === 3, 'ticks 2 and 3 confirmed');
    expect(confirmed.slice(1)).to.deep.equal([
      [2, [7, 8, 4]],
      [3, []],
    ]);
    expect(shown.length).to.equal(3);
    // A message that cannot be read: every tick still waiting lost its frames.
    frames.expect(4, JOBS);
    // (Stands in for the browser's event for a message it could not deserialize.)
    port.dispatchEvent(new MessageEvent('messageerror'));
    expect(confirmed.at(-1)).to.deep.equal([4, [7, 8, 4]]);
    frames.close();
  });

  it('shows nothing in a canvas given back while its frame was on its way', async () => {
    const { frames, shown, confirmed, sendBoth } = link();
    frames.expect(1, JOBS);
    // Canvas 7 went back to the pool (maybe to another player): the sandbox's late frame is not for it.
    frames.forget([7]);
    await sendBoth(1);
    await waitUntil(() => confirmed.length === 1, 'confirmed');
    expect(shown).to.deep.equal([
      [20, 10, [8]],
      [30, 30, [4]],
    ]);
    expect(confirmed).to.deep.equal([[1, []]]);
    frames.close();
  });
});
