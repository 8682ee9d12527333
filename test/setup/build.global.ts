import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** End-to-end tests start real replica processes from the build: build every package once. */
export default function setup() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
}
