import { describe, inject } from 'vitest';

type Service = 'postgres' | 'redis' | 'nginx' | 'haproxy';

/**
 * A describe block that needs real services. Without them it is skipped with a printed reason,
 * except under CI=true, where a missing service fails the run instead of hiding tests.
 */
export function describeWithServices(needs: Service[], name: string, body: () => void) {
  const available = inject('services');
  const missing = needs.filter((s) => !available[s]);
  if (!missing.length) return describe(name, body);
  const reason = `${missing.join(', ')} not available`;
  if (process.env.CI === 'true') {
    return describe(name, () => {
      throw new Error(`CI=true and ${reason}: refusing to skip "${name}"`);
    });
  }
  console.warn(`Skipping "${name}": ${reason}`);
  return describe.skip(name, body);
}
