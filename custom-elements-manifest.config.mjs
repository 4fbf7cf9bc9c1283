// custom-elements.json is generated from the JSDoc (@fires, @attr, @csspart, ...).
// The analyzer also guesses events from `dispatchEvent(new X(arg))` calls, taking
// the first argument for the name; our events are typed classes, so those
// guesses are wrong. Only the documented (@fires) events are kept.
function documentedEventsOnly() {
  return {
    name: 'documented-events-only-sorted',
    packageLinkPhase({ customElementsManifest }) {
      // The analyzer's module order varies from run to run; sorted, the file is stable.
      customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name && event.description);
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/types/**', 'src/relay/**'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  plugins: [documentedEventsOnly()],
};
