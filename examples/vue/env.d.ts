// The three elements join Vue's GlobalComponents, typed from lottie-sync's manifest.
import 'lottie-sync/editors/vue';
