/**
 * A low-stock warning fires once per crossing: when a movement takes the quantity from at or
 * above the threshold to below it. Later movements that stay below it stay silent.
 */
export function crossedBelowMinimum(before: number, after: number, minQuantity: number): boolean {
  return before >= minQuantity && after < minQuantity;
}
