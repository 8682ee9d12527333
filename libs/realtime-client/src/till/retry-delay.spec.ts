import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay.js';

describe('retryDelayMs', () => {
  const bounds = { min: 1_000, max: 60_000 };

  it('waits between min and a cap that doubles with each failure', () => {
    expect([0, 1, 2, 3].map((failures) => retryDelayMs(failures, bounds, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(3, bounds, () => 0)).toBe(1_000);
    expect(retryDelayMs(3, bounds, () => 0.5)).toBe(4_500);
  });

  it('never waits longer than max, however many failures', () => {
    expect(retryDelayMs(10, bounds, () => 1)).toBe(60_000);
    expect(retryDelayMs(5_000, bounds, () => 1)).toBe(60_000);
  });
});
