import { describe, expect, it } from 'vitest';
import { crossedBelowMinimum } from './low-stock.js';

describe('crossedBelowMinimum', () => {
  it.each([
    [5, 2, 3, true], // from above to below
    [3, 2, 3, true], // from exactly the minimum to below
    [5, 3, 3, false], // reaches the minimum, not below it
    [2, 1, 3, false], // already below: no second warning
    [1, 5, 3, false], // restock
    [0, 0, 0, false], // no threshold set
  ])('before %i, after %i, minimum %i → %s', (before, after, min, expected) => {
    expect(crossedBelowMinimum(before, after, min)).toBe(expected);
  });
});
