// Which files a page plays: `file=dalek.json` for all players, or
// `file=a.json,b.json` to deal them out in turn.
window.benchFiles = function benchFiles(params, count) {
  const names = (params.get('file') || 'dalek.json').split(',');
  return Array.from({ length: count }, (_, i) => `/node_modules/lottie-web/test/animations/${names[i % names.length]}`);
};
