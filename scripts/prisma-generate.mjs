// Generates the Prisma client without the native schema engine, which cannot be
// downloaded on air-gapped machines. /bin/false is scoped to this one command:
// a global /bin/true would make `migrate deploy` silently do nothing.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
execFileSync(process.execPath, [prismaCli, 'generate'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
