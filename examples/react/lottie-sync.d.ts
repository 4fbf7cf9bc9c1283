// The three elements in React's JSX, typed from lottie-sync's manifest.
import type { CustomElements } from 'lottie-sync/editors/jsx';

declare module 'react' {
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends CustomElements {}
  }
}
