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

// The .lottie fixtures (dotLottie archives), from lottie-web's own test files:
// - dalek.lottie: one animation (a v1 manifest, as most files in the wild);
// - several.lottie: three animations, the second one initial (a v2 manifest, `a/` folder);
// - images.lottie: an animation whose two images are in the archive (`images/`), so it
//   draws without a request.
// - not-a-dotlottie.lottie: a zip without a manifest.
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';

const animations = new URL('../node_modules/lottie-web/test/animations/', import.meta.url);
const read = (name) => readFileSync(new URL(name, animations));
const json = (value) => strToU8(JSON.stringify(value));
const write = (name, files) => writeFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), zipSync(files, { level: 9 }));

write('dalek.lottie', {
  'manifest.json': json({ version: '1.0', generator: 'lottie-sync fixtures', animations: [{ id: 'dalek', loop: true }] }),
  'animations/dalek.json': read('dalek.json'),
});
write('several.lottie', {
  'manifest.json': json({
    version: '2',
    generator: 'lottie-sync fixtures',
    animations: [{ id: 'dalek' }, { id: 'bar' }, { id: 'lights' }],
    initial: { animation: 'bar' },
  }),
  'a/dalek.json': read('dalek.json'),
  'a/bar.json': strToU8(JSON.stringify(bar)),
  'a/lights.json': read('lights.json'),
});
// Two image layers (the photos of lottie-web's footage test), the small one moving, the large one scaled down.
const imageAnimation = (folder) => ({
  v: '5.7.0',
  fr: 30,
  ip: 0,
  op: 30,
  w: 300,
  h: 300,
  nm: 'images',
  assets: [
    { id: 'image_0', w: 278, h: 278, u: folder, p: 'img_0.jpg', e: 0 },
    { id: 'image_1', w: 1600, h: 1600, u: folder, p: 'img_1.jpg', e: 0 },
  ],
  layers: [
    {
      ddd: 0,
      ind: 1,
      ty: 2,
      refId: 'image_0',
      sr: 1,
      ip: 0,
      op: 30,
      st: 0,
      ks: {
        o: still(100),
        r: still(0),
        a: still([139, 139, 0]),
        s: still([40, 40, 100]),
        p: {
          a: 1,
          k: [
            { t: 0, s: [60, 60, 0], e: [240, 240, 0], i: { x: [1], y: [1] }, o: { x: [0], y: [0] } },
            { t: 30, s: [240, 240, 0] },
          ],
        },
      },
    },
    {
      ddd: 0,
      ind: 2,
      ty: 2,
      refId: 'image_1',
      sr: 1,
      ip: 0,
      op: 30,
      st: 0,
      ks: { o: still(100), r: still(0), a: still([800, 800, 0]), s: still([10, 10, 100]), p: still([150, 150, 0]) },
    },
  ],
});
// The same animation as JSON with its images on the test server (for plain lottie-web to draw; it joins
// the file's folder, `u` and `p`, so `u` is relative to the fixture).
writeFileSync(
  new URL('../test/fixtures/images.json', import.meta.url),
  JSON.stringify(imageAnimation('../../node_modules/lottie-web/test/animations/footage/images/')),
);
write('images.lottie', {
  'manifest.json': json({ version: '1.0', generator: 'lottie-sync fixtures', animations: [{ id: 'images' }] }),
  'animations/images.json': json(imageAnimation('/images/')),
  'images/img_0.jpg': read('footage/images/img_0.jpg'),
  'images/img_1.jpg': read('footage/images/img_1.jpg'),
});
write('not-a-dotlottie.lottie', { 'readme.txt': strToU8('just a zip') });

// The demo's copies of the archives (demo/files/), so the demo pages name no test fixture.
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync(new URL('../demo/files/', import.meta.url), { recursive: true });
for (const name of ['dalek.lottie', 'several.lottie', 'images.lottie']) {
  copyFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), new URL(`../demo/files/${name}`, import.meta.url));
}
