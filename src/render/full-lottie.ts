// lottie-web's full canvas build, with its expression engine (it evaluates
// expressions with eval): loaded only into the sandbox realm, or into the page
// when a stage trusts its files (`expressions="page"`).
export { default } from 'lottie-web/build/player/esm/lottie_canvas.min.js';
