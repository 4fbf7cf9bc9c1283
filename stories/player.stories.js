import manifest from '../custom-elements.json';
import { applyArgs, argTypesOf } from './manifest-controls.js';

const argTypes = argTypesOf(manifest, 'lottie-sync-player');

/** A player on its own (a private clock), every attribute a control from the manifest. */
export default {
  title: 'Elements/Player',
  component: 'lottie-sync-player',
  tags: ['autodocs'],
  argTypes,
  args: { src: '/animations/dalek.json', loop: true, autoplay: true, controls: true },
  render: (args) => {
    const player = applyArgs(document.createElement('lottie-sync-player'), args, argTypes);
    player.style.cssText = 'width:240px;height:240px';
    return player;
  },
};

export const Default = {};

export const Bounce = { args: { src: '/animations/lights.json', mode: 'bounce', speed: 1.5 } };

export const DotLottie = { name: 'A .lottie file', args: { src: '/fixtures/dalek.lottie' } };

export const PlayOnHover = { name: 'Plays on hover', args: { 'play-on': 'hover', autoplay: false } };
