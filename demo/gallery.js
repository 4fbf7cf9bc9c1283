// The gallery's controls. Everything here is what a page author would write:
// attributes and the stage's public API, nothing internal.
const ANIMATIONS = '/node_modules/lottie-web/test/animations/';
const MIXED = ['dalek.json', 'lights.json', 'ripple.json', 'starfish.json'];

const stage = document.getElementById('stage');
const group = document.getElementById('group');
const $ = (id) => document.getElementById(id);

function fill() {
  const count = Number($('count').value);
  const file = $('file').value;
  $('count-out').value = String(count);
  const players = [...group.children];
  while (players.length > count) players.pop().remove();
  for (let i = 0; i < count; i += 1) {
    const name = file === 'mixed' ? MIXED[i % MIXED.length] : file;
    const src = name.startsWith('/') ? name : ANIMATIONS + name;
    let player = players[i];
    if (!player) {
      player = document.createElement('lottie-sync-player');
      group.append(player);
    }
    if (player.getAttribute('src') !== src) player.setAttribute('src', src);
  }
}

$('count').addEventListener('input', fill);
$('file').addEventListener('change', fill);
$('size').addEventListener('input', () => {
  stage.style.setProperty('--lottie-sync-player-width', `${$('size').value}px`);
  stage.style.setProperty('--lottie-sync-player-height', `${$('size').value}px`);
});
$('tier').addEventListener('change', () => {
  const value = $('tier').value;
  if (value === 'tiers') stage.setAttribute('tiers', '');
  else stage.removeAttribute('tiers');
  if (value && value !== 'tiers') stage.setAttribute('fps', value);
  else stage.removeAttribute('fps');
});
$('render').addEventListener('change', () => stage.setAttribute('render', $('render').value));
$('thousand').addEventListener('click', () => {
  $('count').value = '1000';
  fill();
});
$('sync').addEventListener('change', () => group.setAttribute('sync', $('sync').value));
$('metrics').addEventListener('change', () => (stage.showMetrics = $('metrics').checked));
$('toggle').addEventListener('click', () => (stage.paused ? stage.play() : stage.pause()));
$('speed').addEventListener('change', () => (stage.speed = Number($('speed').value)));

let scrubbing = false;
$('scrubber').addEventListener('input', () => {
  scrubbing = true;
  stage.seekToProgress(Number($('scrubber').value));
});
$('scrubber').addEventListener('change', () => (scrubbing = false));

for (const type of ['lottie-sync-play', 'lottie-sync-pause']) {
  stage.addEventListener(type, () => ($('toggle').textContent = stage.paused ? 'Play' : 'Pause'));
}
stage.addEventListener('lottie-sync-ready', (event) => {
  $('status').value = `ready: ${event.loaded} loaded, ${event.failed} failed`;
});

function showTime() {
  const duration = stage.duration;
  if (duration > 0) {
    const time = stage.currentTime;
    const within = ((time % duration) + duration) % duration;
    $('time').value = `${within.toFixed(2)} s`;
    if (!scrubbing) $('scrubber').value = String(within / duration);
  }
  requestAnimationFrame(showTime);
}

fill();
showTime();
