/**
 * Every error fallback: each player below fails in its own way, says so with a
 * `lottie-sync-error` event (its code in the caption), shows its fallback, and
 * the others keep playing.
 */
const CASES = [
  ['http-error', 'a 404', { src: '/animations/does-not-exist.json' }],
  ['empty', 'an empty file', { src: '/fixtures/empty.json' }],
  ['invalid-json', 'not JSON', { src: '/fixtures/not-json.json' }],
  ['not-lottie', 'JSON, not Lottie', { src: '/fixtures/not-lottie.json' }],
  ['bad-archive', 'a .lottie that is not a zip', { src: '/fixtures/not-a-dotlottie.lottie' }],
  ['unknown-marker', 'a marker the file lacks', { src: '/animations/dalek.json', marker: 'no-such-marker' }],
  ['invalid-attribute', 'a bad attribute value', { src: '/animations/dalek.json', speed: 'fast' }],
];

export default {
  title: 'Examples/Errors',
  // The 404 case logs the browser's own "failed to load resource" line.
  tags: ['expects-404'],
  render: () => {
    const stage = document.createElement('lottie-sync-stage');
    stage.setAttribute('autoplay', '');
    stage.setAttribute('loop', '');
    stage.style.cssText = 'display:grid;grid-template-columns:repeat(auto-fill,160px);gap:12px';
    const healthy = document.createElement('figure');
    healthy.innerHTML =
      '<lottie-sync-player src="/animations/dalek.json" style="width:120px;height:120px"></lottie-sync-player><figcaption>a good file keeps playing</figcaption>';
    stage.append(healthy);
    for (const [code, what, attributes] of CASES) {
      const figure = document.createElement('figure');
      const player = document.createElement('lottie-sync-player');
      player.style.cssText = 'width:120px;height:120px';
      for (const [name, value] of Object.entries(attributes)) player.setAttribute(name, value);
      const caption = document.createElement('figcaption');
      caption.textContent = `${what} (expects ${code})`;
      caption.dataset.expected = code;
      player.addEventListener('lottie-sync-error', (event) => {
        caption.textContent = `${what}: ${event.code}`;
        caption.dataset.code = event.code;
      });
      figure.append(player, caption);
      stage.append(figure);
    }
    return stage;
  },
};

export const EveryFallback = { name: 'Every error fallback' };

/** A stage whose size limit is below the file's: `too-large`. */
export const TooLarge = {
  name: 'An oversized file',
  render: () => {
    const stage = document.createElement('lottie-sync-stage');
    stage.setAttribute('autoplay', '');
    stage.setAttribute('max-bytes', '1000');
    stage.innerHTML = '<lottie-sync-player src="/animations/dalek.json" style="width:160px;height:160px"></lottie-sync-player>';
    return stage;
  },
};
