/**
 * A threshold stock fell below: its low-stock minimum, or zero (only till sales, which are never
 * refused for stock, take it there).
 */
export type StockThreshold = 'minimum' | 'zero';

/**
 * A warning fires once per crossing: when a decrease takes the quantity from at or above a
 * threshold to below it. Later movements that stay below it stay silent, and the next crossing
 * (after a restock) warns again. Below zero with no minimum set (0) is one crossing, said as 'zero'.
 */
export function thresholdsCrossed(before: number, after: number, minQuantity: number): StockThreshold[] {
  const crossed = (threshold: number) => before >= threshold && after < threshold;
  return [...(minQuantity > 0 && crossed(minQuantity) ? ['minimum' as const] : []), ...(crossed(0) ? ['zero' as const] : [])];
}
