import { describe, expect, it } from 'vitest';
import { thresholdChanges } from './stock-thresholds.js';

const below = (threshold: string) => ({ threshold, change: 'below' });
const back = (threshold: string) => ({ threshold, change: 'back' });

describe('thresholdChanges', () => {
  it.each([
    [5, 2, 3, [below('minimum')]], // from above to below
    [3, 2, 3, [below('minimum')]], // from exactly the minimum to below
    [5, 3, 3, []], // reaches the minimum, not below it
    [2, 1, 3, [below('minimum')]], // already below: seen again (its alert counts it)
    [1, 2, 3, []], // a restock that stays below
    [1, 5, 3, [back('minimum')]], // a restock back over the minimum
    [2, 3, 3, [back('minimum')]], // exactly back to the minimum
    [0, 0, 0, []], // no threshold set, not below zero
    [0, -1, 0, [below('zero')]], // below zero with no minimum: zero only
    [5, -2, 3, [below('minimum'), below('zero')]], // past both at once
    [2, -1, 3, [below('minimum'), below('zero')]], // already low, now below zero
    [-1, -4, 3, [below('minimum'), below('zero')]], // still below both
    [-3, 2, 3, [back('zero')]], // back above zero, still low
    [-3, 4, 3, [back('minimum'), back('zero')]], // back over both
  ])('before %i, after %i, minimum %i → %j', (before, after, min, expected) => {
    expect(thresholdChanges(before, after, min)).toEqual(expected);
  });
});
