// The relay package ships the same LICENSE as lottie-sync.
import { copyFileSync } from 'node:fs';

copyFileSync(new URL('../LICENSE', import.meta.url), new URL('../relay/LICENSE', import.meta.url));
