/**
 * How long to wait after `failures` failed attempts in a row: a random wait between `min` and a cap
 * that doubles with each failure up to `max`. Random over the whole range, so tills cut off together
 * (a store's network, a server restart) do not all come back at the same moment.
 */
export function retryDelayMs(failures: number, { min, max }: { min: number; max: number }, random = Math.random): number {
  const cap = Math.min(max, min * 2 ** failures);
  return Math.round(min + random() * (cap - min));
}
