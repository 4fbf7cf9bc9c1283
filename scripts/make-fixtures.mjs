// Writes test/fixtures/bar.json: a 100 x 100, 30 fps, 30-frame animation of a
// red bar that moves 3 px a frame (centre x = 5 + 3 * frame), so a test can
// read the frame a canvas shows from its pixels. Markers: intro 0-10, outro 20-30.
import { writeFileSync } from 'node:fs';

const still = (k) => ({ a: 0, k });
const bar = {
  v: '5.7.0',
  fr: 30,
  ip: 0,
  op: 30,
  w: 100,
  h: 100,
  nm: 'bar',
  ddd: 0,
  assets: [],
  layers: [
    {
      ddd: 0,
      ind: 1,
      ty: 4,
      nm: 'bar',
      sr: 1,
      ao: 0,
      ip: 0,
      op: 30,
      st: 0,
      bm: 0,
      ks: {
        o: still(100),
        r: still(0),
        a: still([0, 0, 0]),
        s: still([100, 100, 100]),
        p: {
          a: 1,
          k: [
            { t: 0, s: [5, 50, 0], e: [95, 50, 0], i: { x: [1], y: [1] }, o: { x: [0], y: [0] } },
            { t: 30, s: [95, 50, 0] },
          ],
        },
      },
      shapes: [
        {
          ty: 'gr',
          nm: 'g',
          it: [
            { ty: 'rc', d: 1, s: still([2, 100]), p: still([0, 0]), r: still(0) },
            { ty: 'fl', c: still([1, 0, 0, 1]), o: still(100), r: 1 },
            { ty: 'tr', p: still([0, 0]), a: still([0, 0]), s: still([100, 100]), r: still(0), o: still(100), sk: still(0), sa: still(0) },
          ],
        },
      ],
    },
  ],
  markers: [
    { tm: 0, cm: 'intro', dr: 10 },
    { tm: 20, cm: 'outro', dr: 10 },
  ],
};
writeFileSync(new URL('../test/fixtures/bar.json', import.meta.url), JSON.stringify(bar));
