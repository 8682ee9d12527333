import { describe, expect, it } from 'vitest';
import { idempotencyKeyOf, requestHash } from './request-fingerprint.js';

describe('request fingerprint', () => {
  it('is the same for the same method, path and body, whatever the key order', () => {
    const a = requestHash('POST', '/pos/carts/1/payments', { method: 'CASH', amount: 500 });
    expect(requestHash('post', '/pos/carts/1/payments', { amount: 500, method: 'CASH' })).toBe(a);
    expect(requestHash('POST', '/pos/carts/1/payments', { method: 'CASH', amount: 501 })).not.toBe(a);
    expect(requestHash('POST', '/pos/carts/2/payments', { method: 'CASH', amount: 500 })).not.toBe(a);
    expect(requestHash('PATCH', '/pos/carts/1/payments', { method: 'CASH', amount: 500 })).not.toBe(a);
  });

  it('treats a missing body as null', () => {
    expect(requestHash('POST', '/x', undefined)).toBe(requestHash('POST', '/x', null));
    expect(requestHash('POST', '/x', undefined)).not.toBe(requestHash('POST', '/x', {}));
  });

  it('accepts printable keys up to 255 characters and refuses others with 400 validation_failed', () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(idempotencyKeyOf('0b7c1c1e-7f0e-4d55-9a53-5f1f0c1d9e01')).toBe('0b7c1c1e-7f0e-4d55-9a53-5f1f0c1d9e01');
    for (const bad of ['', ' ', 'with space', 'é', 'x'.repeat(256)]) {
      expect(() => idempotencyKeyOf(bad)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
  });
});
