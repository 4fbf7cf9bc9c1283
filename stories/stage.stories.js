import manifest from '../custom-elements.json';
import { applyArgs, argTypesOf } from './manifest-controls.js';

const argTypes = argTypesOf(manifest, 'lottie-sync-stage');
const FILES = ['dalek.json', 'lights.json', 'ripple.json', 'starfish.json', 'adrock.json', 'bodymovin.json'];

/** A stage of `count` players of `files` (cycled), `size` px each, in a grid. */
function stage(args, { count = 12, files = FILES, size = 96 } = {}) {
  const element = applyArgs(document.createElement('lottie-sync-stage'), args, argTypes);
  element.style.cssText = `display:grid;grid-template-columns:repeat(auto-fill,${size}px);gap:4px;--lottie-sync-player-width:${size}px;--lottie-sync-player-height:${size}px`;
  for (let i = 0; i < count; i += 1) {
    const player = document.createElement('lottie-sync-player');
    player.setAttribute('src', `/animations/${files[i % files.length]}`);
    element.append(player);
  }
  return element;
}

/** The stage: one clock for every player in it. Every attribute is a control from the manifest. */
export default {
  title: 'Elements/Stage',
  component: 'lottie-sync-stage',
  tags: ['autodocs'],
  argTypes,
  args: { autoplay: true, loop: true, controls: true },
  render: (args) => stage(args),
};

export const Default = {};

export const Grid200 = {
  name: '200 players, with metrics',
  args: { 'show-metrics': true },
  render: (args) => stage(args, { count: 200, files: ['dalek.json'], size: 48 }),
};

export const DrawRateTiers = {
  name: 'The count table (tiers)',
  args: { tiers: '5:60 15:30 25:15 *:10', 'show-metrics': true },
  render: (args) => stage(args, { count: 30, files: ['lights.json'], size: 48 }),
};

export const MainThread = { name: 'Drawn on the main thread', args: { render: 'main', 'show-metrics': true } };

export const CanvasesOfTheirOwn = {
  name: "200 players, each in a worker's canvas of its own",
  args: { render: 'workers', 'show-metrics': true },
  render: (args) => stage(args, { count: 200, files: ['dalek.json'], size: 48 }),
};

export const TwoStagesOneChannel = {
  name: 'Two stages on one channel',
  render: (args) => {
    const channel = `story-${Math.random().toString(36).slice(2)}`;
    const wrapper = document.createElement('div');
    wrapper.style.cssText = 'display:grid;gap:16px';
    for (const speed of [1, 1]) {
      const element = stage({ ...args, 'sync-channel': channel, speed }, { count: 4, files: ['dalek.json'] });
      wrapper.append(element);
    }
    return wrapper;
  },
};
