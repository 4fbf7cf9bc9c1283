// lottie-web ships its ES module builds without type declarations; they export
// the same player as the package root.
declare module 'lottie-web/build/player/esm/lottie_canvas.min.js' {
  import lottie from 'lottie-web';
  export default lottie;
}
declare module 'lottie-web/build/player/esm/lottie_light_canvas.min.js' {
  import lottie from 'lottie-web';
  export default lottie;
}
