import { describe, expect, it } from 'vitest';
import { toSafeInteger } from './safe-integer.js';

describe('toSafeInteger', () => {
  it('converts BIGINT values exactly up to 2^53 − 1, either sign', () => {
    expect(toSafeInteger(3_000_000_000n)).toBe(3_000_000_000);
    expect(toSafeInteger(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(toSafeInteger(-9_007_199_254_740_991n)).toBe(-Number.MAX_SAFE_INTEGER);
  });

  it('refuses a value JSON cannot carry exactly, instead of rounding it', () => {
    expect(() => toSafeInteger(9_007_199_254_740_992n)).toThrow(expect.objectContaining({ code: 'amount_out_of_range' }));
    expect(() => toSafeInteger(-9_007_199_254_740_992n)).toThrow(expect.objectContaining({ code: 'amount_out_of_range' }));
  });
});
