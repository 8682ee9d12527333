import { describe, expect, it } from 'vitest';
import { thresholdsCrossed } from './stock-thresholds.js';

describe('thresholdsCrossed', () => {
  it.each([
    [5, 2, 3, ['minimum']], // from above to below
    [3, 2, 3, ['minimum']], // from exactly the minimum to below
    [5, 3, 3, []], // reaches the minimum, not below it
    [2, 1, 3, []], // already below: no second warning
    [1, 5, 3, []], // restock
    [0, 0, 0, []], // no threshold set, not below zero
    [0, -1, 0, ['zero']], // below zero with no minimum: one crossing
    [5, -2, 3, ['minimum', 'zero']], // past both at once
    [2, -1, 3, ['zero']], // already low, now below zero
    [-1, -4, 3, []], // already below zero: no second warning
    [-3, 2, 3, []], // back above zero
  ])('before %i, after %i, minimum %i → %j', (before, after, min, expected) => {
    expect(thresholdsCrossed(before, after, min)).toEqual(expected);
  });
});
