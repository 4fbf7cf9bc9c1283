import manifest from '../custom-elements.json';
import { applyArgs, argTypesOf } from './manifest-controls.js';

const argTypes = argTypesOf(manifest, 'lottie-sync-group');

/** Groups: players of one group share a timeline of its own inside the stage. Every attribute of the group is a control. */
export default {
  title: 'Elements/Group',
  component: 'lottie-sync-group',
  tags: ['autodocs'],
  argTypes,
  args: { name: 'hover-row', 'play-on': 'hover' },
  render: (args) => {
    const stage = document.createElement('lottie-sync-stage');
    stage.setAttribute('autoplay', '');
    stage.setAttribute('loop', '');
    stage.style.cssText = 'display:flex;flex-wrap:wrap;gap:8px;--lottie-sync-player-width:96px;--lottie-sync-player-height:96px';
    const group = applyArgs(document.createElement('lottie-sync-group'), args, argTypes);
    stage.append(group);
    for (let i = 0; i < 8; i += 1) {
      const player = document.createElement('lottie-sync-player');
      player.setAttribute('src', `/animations/${i < 4 ? 'dalek.json' : 'lights.json'}`);
      // The first four follow the group (hover it to play them); the rest follow the stage.
      if (i < 4 && args.name) player.setAttribute('group', args.name);
      stage.append(player);
    }
    return stage;
  },
};

export const OnHover = {};

export const Batched = { args: { name: 'batched', 'play-on': undefined, sync: 'batched', batch: 3 } };
