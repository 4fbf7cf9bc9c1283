// A dev-server middleware for the hostile-input tests:
// - /__stream?mb=N&id=X streams N megabytes of JSON-looking text with no
//   Content-Length, a chunk at a time, and /__stream-sent?id=X answers how many
//   bytes went out before the client stopped reading;
// - /__layers?n=N serves a Lottie file of N small layers, made on the fly;
// - /__image-file?u=U&p=P serves a Lottie file of one image layer whose asset
//   names folder U and file P (the attacker's choice).
import { Readable } from 'node:stream';

const CHUNK = 64 * 1024;

function manyLayers(count) {
  const layer = (i) => ({
    ddd: 0,
    ind: i + 1,
    ty: 4,
    nm: `l${i}`,
    sr: 1,
    ip: 0,
    op: 30,
    st: 0,
    ks: { o: { a: 0, k: 100 }, p: { a: 0, k: [i % 100, 50, 0] } },
    shapes: [{ ty: 'rc', d: 1, s: { a: 0, k: [1, 1] }, p: { a: 0, k: [0, 0] }, r: { a: 0, k: 0 } }],
  });
  return JSON.stringify({ v: '5.7.0', fr: 30, ip: 0, op: 30, w: 100, h: 100, layers: Array.from({ length: count }, (_, i) => layer(i)) });
}

export function hostileFiles() {
  const sent = new Map();
  return async function serveHostile(context, next) {
    if (context.path === '/__stream') {
      const id = String(context.query.id);
      const total = Number(context.query.mb) * 1024 * 1024;
      sent.set(id, 0);
      let written = 0;
      const chunk = Buffer.alloc(CHUNK, 0x20);
      const stream = new Readable({
        read() {
          if (written >= total) return this.push(null);
          written += CHUNK;
          sent.set(id, written);
          // A little at a time, as a slow or endless server sends it.
          setTimeout(() => this.push(chunk), 2);
        },
      });
      context.set('Cache-Control', 'no-store');
      context.type = 'application/json';
      context.body = stream;
      return;
    }
    if (context.path === '/__stream-sent') {
      context.body = String(sent.get(String(context.query.id)) ?? -1);
      return;
    }
    if (context.path === '/__image-file') {
      const asset = { id: 'image', w: 10, h: 10, u: String(context.query.u ?? ''), p: String(context.query.p), e: 0 };
      const layer = { ddd: 0, ind: 1, ty: 2, refId: 'image', sr: 1, ip: 0, op: 30, st: 0, ks: { o: { a: 0, k: 100 } } };
      context.set('Cache-Control', 'no-store');
      context.type = 'application/json';
      context.body = JSON.stringify({ v: '5.7.0', fr: 30, ip: 0, op: 30, w: 10, h: 10, assets: [asset], layers: [layer] });
      return;
    }
    if (context.path === '/__layers') {
      context.set('Cache-Control', 'no-store');
      context.type = 'application/json';
      context.body = manyLayers(Number(context.query.n));
      return;
    }
    await next();
  };
}
