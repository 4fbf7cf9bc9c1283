// Which files a page plays: `file=dalek.json` for all players, `file=a.json,b.json`
// to deal them out in turn, or `file=mix20` for 20 distinct URLs (every file of
// lottie-web's test set, and copies of the lighter ones under another query
// string, which the page treats as different files).
window.benchFiles = function benchFiles(params, count) {
  const base = '/node_modules/lottie-web/test/animations/';
  let names = (params.get('file') || 'dalek.json').split(',');
  if (names[0] === 'mix20') {
    const all = ['adrock', 'bacon', 'banner', 'bm_ronda', 'bodymovin', 'dalek', 'lights', 'monster', 'navidad', 'ripple', 'starfish'];
    const light = ['adrock', 'bacon', 'banner', 'bodymovin', 'dalek', 'lights', 'ripple', 'starfish', 'navidad'];
    names = [...all.map((n) => `${n}.json`), ...light.map((n) => `${n}.json?copy=2`)];
  }
  return Array.from({ length: count }, (_, i) => `${base}${names[i % names.length]}`);
};
