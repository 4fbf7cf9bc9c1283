// Writes the editor and framework data generated from the manifest into dist/editors/ (VS Code
// custom data, JetBrains web-types, JSX, Vue and Svelte element types): the analyzer runs with its
// generators on, into a scratch folder; the committed custom-elements.json is left alone.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const scratch = '.cem-editors';
try {
  execFileSync('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', scratch], {
    stdio: 'pipe',
    env: { ...process.env, LOTTIE_SYNC_EDITOR_DATA: '1' },
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
// The framework generators take an event's type for its detail (`CustomEvent<T>`), and import a type
// once per element that fires it. Ours are CustomEvent classes with typed fields and `detail`: the
// handlers get the class itself, and each name is imported once.
for (const file of ['jsx.d.ts', 'vue.d.ts', 'svelte.d.ts']) {
  const path = `dist/editors/${file}`;
  let text = readFileSync(path, 'utf8').replace(/CustomEvent<(LottieSync\w*Event)>/g, '$1');
  text = text.replace(/import type \{([^}]*)\} from "\.\.\/index\.js";/, (_, names) => {
    const unique = [
      ...new Set(
        names
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      ),
    ];
    return `import type { ${unique.join(', ')} } from "../index.js";`;
  });
  // The Svelte generator borrows Solid's JSX names for children and style; in Svelte they are these.
  // It types Svelte 4's `on:event` directives; Svelte 5 listens through `onevent` attributes: both.
  if (file === 'svelte.d.ts')
    text = text
      .replace(/JSX\.Element\b/g, 'unknown')
      .replace(/JSX\.CSSProperties\b/g, 'string')
      .replace(/^(\s*)"on:(lottie-sync-[\w-]+)"\?: (.*);$/gm, '$1"on:$2"?: $3;\n$1"on$2"?: $3;');
  writeFileSync(path, text);
}
for (const file of ['vscode.html-custom-data.json', 'vscode.css-custom-data.json', 'web-types.json', 'jsx.d.ts', 'vue.d.ts', 'svelte.d.ts'])
  if (!existsSync(`dist/editors/${file}`)) throw new Error(`dist/editors/${file} was not written`);
console.log('dist/editors/: VS Code custom data, web-types, JSX, Vue and Svelte types');
