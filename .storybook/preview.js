import { setCustomElementsManifest } from '@storybook/web-components-vite';
import manifest from '../custom-elements.json';

// The docs tables list every attribute, property, event, slot and CSS part from the manifest.
setCustomElementsManifest(manifest);

/** @type {import('@storybook/web-components-vite').Preview} */
export default {
  parameters: {
    controls: { expanded: true, sort: 'none' },
    layout: 'padded',
  },
};
