import type { LottiePlayer } from 'lottie-web';

let light: Promise<LottiePlayer> | null = null;

/**
 * lottie-web's build without expressions, for the page's main thread: loaded
 * when a player first draws there (most pages draw in workers and never load
 * it), so the module a page loads first holds no lottie-web.
 */
export function pageLottie(): Promise<LottiePlayer> {
  light ??= import('lottie-web/build/player/esm/lottie_light_canvas.min.js').then((module) => module.default);
  return light;
}
