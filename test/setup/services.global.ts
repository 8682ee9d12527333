import { probeServices } from '@retail/testing';
import type { TestProject } from 'vitest/node';

/** Tells every test file which real services are reachable (see describeWithServices). */
export default async function setup(project: TestProject) {
  project.provide('services', await probeServices());
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: Awaited<ReturnType<typeof probeServices>>;
  }
}
