import { rmSync } from 'node:fs';

for (const built of ['../dist', '../relay/dist']) rmSync(new URL(built, import.meta.url), { recursive: true, force: true });
