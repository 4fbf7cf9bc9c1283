// Storybook for the three elements, with Vite. The stories load the package as
// a no-build page does, the CDN bundle (dist/cdn, made by `npm run build`),
// so what they show is what ships; lottie-web's test animations and the test
// fixtures are served beside it.
/** @type {import('@storybook/web-components-vite').StorybookConfig} */
export default {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.js'],
  addons: ['@storybook/addon-docs'],
  staticDirs: [
    { from: '../dist/cdn', to: '/lottie-sync' },
    { from: '../node_modules/lottie-web/test/animations', to: '/animations' },
    { from: '../test/fixtures', to: '/fixtures' },
  ],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
};
