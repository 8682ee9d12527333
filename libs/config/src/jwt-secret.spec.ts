import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jwtSecretProblem } from './jwt-secret.js';

/**
 * Every secret committed to the repository: a literal of 32+ characters given to something named
 * like a secret (`TEST_JWT_SECRET = '…'`, `secret: '…'`, `JWT_SECRET=…` in env files), that the
 * development rules would accept as a JWT secret.
 */
function committedSecrets(): Map<string, string> {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
    .split('\n')
    .filter((file) => /\.(ts|mts|mjs|js|json|ya?ml|md|example|cfg|conf)$|(^|\/)\.env/.test(file) && !file.endsWith('package-lock.json'));
  const assigned = /secrets?\w*['"]?\s*[:=]\s*['"`]?([^\s'"`,;]{32,})/gi;
  const secrets = new Map<string, string>();
  for (const file of files) {
    for (const [, literal] of readFileSync(file, 'utf8').matchAll(assigned)) {
      if (!jwtSecretProblem(literal!)) secrets.set(literal!, file);
    }
  }
  return secrets;
}

describe('jwtSecretProblem in production', () => {
  const committed = committedSecrets();

  it('finds the secrets the tests use', () => {
    expect([...committed.values()]).toEqual(expect.arrayContaining(['libs/testing/src/replica.ts', 'test/e2e/auth-sessions.e2e.test.ts']));
  });

  it('refuses every secret committed to the repository, which tests and development accept', () => {
    for (const [secret, file] of committed) {
      expect(jwtSecretProblem(secret), file).toBeUndefined();
      expect(jwtSecretProblem(secret, { production: true }), `${file}: ${secret}`).toMatch(/test secret published in this repository/);
    }
  });

  it('accepts a secret of its own', () => {
    expect(jwtSecretProblem(randomBytes(48).toString('base64'), { production: true })).toBeUndefined();
  });
});
