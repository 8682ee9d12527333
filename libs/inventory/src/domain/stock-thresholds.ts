/**
 * A threshold stock can be below: its low-stock minimum, or zero (only till sales, which are never
 * refused for stock, take it there).
 */
export type StockThreshold = 'minimum' | 'zero';

/** below: a decrease left stock under the threshold (its alert is raised, or counted again). back: an increase took it back to or over it (its alert resolves). */
export interface ThresholdChange {
  threshold: StockThreshold;
  change: 'below' | 'back';
}

/**
 * What a stock change from `before` to `after` means for the alerts: every decrease that leaves
 * stock under a threshold is the condition seen (again: a live alert counts it, never a second
 * alert); an increase that brings it back to the threshold clears it. Increases that stay under it,
 * and decreases above it, say nothing. No minimum set (0): only zero counts.
 */
export function thresholdChanges(before: number, after: number, minQuantity: number): ThresholdChange[] {
  const thresholds: Array<[StockThreshold, number]> =
    minQuantity > 0
      ? [
          ['minimum', minQuantity],
          ['zero', 0],
        ]
      : [['zero', 0]];
  return thresholds.flatMap(([threshold, at]): ThresholdChange[] => {
    if (after < before && after < at) return [{ threshold, change: 'below' }];
    if (after > before && before < at && after >= at) return [{ threshold, change: 'back' }];
    return [];
  });
}
