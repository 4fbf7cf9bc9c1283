#!/usr/bin/env node
// The Storybook docs pages take their text from the README, section by section,
// so the two never disagree: each `## ` section named below is written to
// stories/docs/generated/<name>.md (git-ignored), which an .mdx page renders
// with its live examples. Run before `storybook dev` and `storybook build`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const SECTIONS = {
  sync: 'How players stay in sync',
  stage: '`<lottie-sync-stage>`',
  workers: 'Where drawing happens: one surface, workers, the canvas pool, culling',
  files: 'Files are data: what a hostile file can and cannot do',
  group: '`<lottie-sync-group>`',
  player: '`<lottie-sync-player>`',
  relay: 'The relay (for stages on other machines)',
};

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const parts = new Map();
for (const chunk of readme.split(/^## /m).slice(1)) {
  const newline = chunk.indexOf('\n');
  parts.set(chunk.slice(0, newline).trim(), chunk.slice(newline + 1).trim());
}
const out = new URL('../stories/docs/generated/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const [name, heading] of Object.entries(SECTIONS)) {
  const text = parts.get(heading);
  if (text === undefined) throw new Error(`README.md has no section "## ${heading}" (stories/docs needs it)`);
  writeFileSync(new URL(`${name}.md`, out), `${text}\n`);
}
// The player's errors, a ### inside its section, get a page of their own.
const errors = /^### Errors\n([\s\S]*?)(?=^#{2,3} |$(?![\s\S]))/m.exec(parts.get(SECTIONS.player))?.[1];
if (!errors) throw new Error('README.md has no "### Errors" under the player');
writeFileSync(new URL('errors.md', out), `${errors.trim()}\n`);
