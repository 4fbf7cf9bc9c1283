// custom-elements.json is generated from the JSDoc (@fires, @attr, @csspart, ...).
// The analyzer also guesses events from `dispatchEvent(new X(arg))` calls, taking
// the first argument for the name; our events are typed classes, so those
// guesses are wrong. Only the documented (@fires) events are kept.
/** The manifest ships in the package, so its module paths name the built files there (dist/*.js), not src/. */
function shippedPaths(value) {
  if (typeof value === 'string') return value.replace(/^src\/(.*)\.ts$/, 'dist/$1.js');
  if (Array.isArray(value)) return value.map(shippedPaths);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shippedPaths(item)]));
  return value;
}

/** Type aliases the manifest would name, written out as what they are, so tools offer fitting controls. */
export const TYPES = {
  SyncMode: "'realtime' | 'batched' | 'lazy'",
  GroupAlign: "'time' | 'progress'",
  PlayTrigger: "'hover' | 'click' | 'visible' | 'visible-once'",
  PlayDirection: '1 | -1',
  PlayMode: "'normal' | 'bounce'",
  RenderMode: "'auto' | 'surface' | 'workers' | 'main'",
  ExpressionMode: "'sandbox' | 'off' | 'page'",
};

/**
 * Defaults that are named constants in the code, written out (test/manifest.test.mjs checks that
 * each equals the constant the code uses).
 */
export const DEFAULTS = {
  DEFAULT_MAX_BYTES: '33554432',
};
/** Defaults the analyzer cannot read at all (properties of constants), by field. */
export const FIELD_DEFAULTS = {
  maxLayers: '5000',
  maxShapes: '50000',
  batch: '3',
  maxDrift: '2',
};

function expandTypes(text) {
  return text.replace(/\b[A-Z]\w+\b/g, (name) => TYPES[name] ?? name);
}

/** One custom-element-definition per tag, in the module that defines it (the analyzer cannot read the TAG constants). */
function definitions(modules) {
  for (const module of modules) module.exports = (module.exports ?? []).filter((entry) => entry.kind !== 'custom-element-definition');
  for (const module of modules) {
    for (const declaration of module.declarations ?? []) {
      if (!declaration.tagName) continue;
      const definer = modules.find((candidate) => candidate.path === module.path.replace(/[^/]+$/, 'define.js'));
      definer?.exports.push({
        kind: 'custom-element-definition',
        name: declaration.tagName,
        declaration: { name: declaration.name, module: module.path },
      });
    }
  }
}

function documentedEventsOnly() {
  return {
    name: 'documented-events-only-sorted-typed',
    packageLinkPhase({ customElementsManifest }) {
      // The analyzer's module order varies from run to run; sorted, the file is stable.
      customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name && event.description);
          for (const member of [...(declaration.attributes ?? []), ...(declaration.members ?? [])]) {
            if (member.type?.text) member.type.text = expandTypes(member.type.text);
            if (member.default !== undefined && member.default in DEFAULTS) member.default = DEFAULTS[member.default];
            const field = member.fieldName ?? member.name;
            if (member.default === undefined && field in FIELD_DEFAULTS && (member.fieldName || member.kind === 'field'))
              member.default = FIELD_DEFAULTS[field];
          }
        }
      }
      customElementsManifest.modules = shippedPaths(customElementsManifest.modules);
      definitions(customElementsManifest.modules);
    },
  };
}

// Editor and framework data generated from the manifest (maintained generators), written into
// dist/editors/ when the build runs the analyzer (scripts/editor-data.mjs); they ship in the package.
import { customElementJetBrainsPlugin } from 'custom-element-jet-brains-integration';
import { customElementJsxPlugin } from 'custom-element-jsx-integration';
import { customElementSveltePlugin } from 'custom-element-svelte-integration';
import { customElementVsCodePlugin } from 'custom-element-vs-code-integration';
import { customElementVuejsPlugin } from 'custom-element-vuejs-integration';

const EDITORS = 'dist/editors';
/** The generated types import the classes and events from the package's index (relative to dist/editors/). */
const globalTypePath = '../index.js';
const editorPlugins = process.env.LOTTIE_SYNC_EDITOR_DATA
  ? [
      customElementVsCodePlugin({
        outdir: EDITORS,
        htmlFileName: 'vscode.html-custom-data.json',
        cssFileName: 'vscode.css-custom-data.json',
        hideLogs: true,
      }),
      // package.json names web-types itself; the plugin would rewrite the file (in another format) on every build.
      customElementJetBrainsPlugin({ outdir: EDITORS, fileName: 'web-types.json', hideLogs: true, packageJson: false }),
      customElementJsxPlugin({ outdir: EDITORS, fileName: 'jsx.d.ts', globalTypePath, hideLogs: true }),
      customElementVuejsPlugin({ outdir: EDITORS, fileName: 'vue.d.ts', globalTypePath, hideLogs: true }),
      customElementSveltePlugin({ outdir: EDITORS, fileName: 'svelte.d.ts', globalTypePath, hideLogs: true }),
    ]
  : [];

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/types/**', 'src/relay/**'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  // package.json names the manifest itself (customElements); the analyzer must not rewrite it.
  packagejson: false,
  plugins: [documentedEventsOnly(), ...editorPlugins],
};
