// The three elements in Svelte 5's element map, typed from lottie-sync's manifest.
import type { CustomElements } from 'lottie-sync/editors/svelte';

declare module 'svelte/elements' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface SvelteHTMLElements extends CustomElements {}
}
