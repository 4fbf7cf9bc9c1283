// Prints the Content-Security-Policy source that allows the sandbox frame's one
// inline script, for pages whose policy forbids inline scripts:
//   script-src 'self' 'sha256-...'
// (npm run build first: it reads the built module.)
import { createHash } from 'node:crypto';

const { SANDBOX_BOOTSTRAP } = await import('../dist/sandbox/sandbox-realm.js');
console.log(`'sha256-${createHash('sha256').update(SANDBOX_BOOTSTRAP, 'utf8').digest('base64')}'`);
