import bcryptjs from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_HASH_COST, UNKNOWN_ACCOUNT_HASH, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('verifies hashes made by bcryptjs, as every existing user row holds', async () => {
    const existing = bcryptjs.hashSync('demo1234', 10);
    expect(await verifyPassword('demo1234', existing)).toBe(true);
    expect(await verifyPassword('demo12345', existing)).toBe(false);
  });

  it('makes bcrypt hashes of at least the old cost that bcryptjs accepts', async () => {
    const made = await hashPassword('s3cret-enough');
    expect(bcryptjs.getRounds(made)).toBeGreaterThanOrEqual(PASSWORD_HASH_COST);
    expect(bcryptjs.compareSync('s3cret-enough', made)).toBe(true);
  });

  it('compares an unknown account at the cost of a real one', () => {
    expect(bcryptjs.getRounds(UNKNOWN_ACCOUNT_HASH)).toBe(PASSWORD_HASH_COST);
  });

  it('answers false, not an error, for a malformed hash', async () => {
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});
