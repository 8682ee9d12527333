import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { TestProject } from 'vitest/node';
import { probeServices } from './probe-services.js';

/** Builds the replica binary once, and tells every test file which real services are reachable. */
export default async function setup(project: TestProject) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'apps/api/tsconfig.build.json'], { stdio: 'inherit' });
  project.provide('services', await probeServices());
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: { postgres: boolean; redis: boolean; nginx: boolean };
  }
}
