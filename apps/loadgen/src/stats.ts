/** p50 / p95 / p99 (nearest rank) and max of a sample, in its unit; NaN when empty. */
export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(sample: number[]): Percentiles {
  const sorted = Float64Array.from(sample).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

export const formatMs = ({ p50, p95, p99 }: Percentiles) => `${[p50, p95, p99].map((v) => v.toFixed(1)).join(' / ')} ms`;
