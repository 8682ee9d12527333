/**
 * The moments a fault test can kill a replica at (FAULT_INJECTION, refused in production):
 * - `crash-before-publishing-a-sale`: the relay committed a sale's stream positions, nothing was published;
 * - `crash-after-committing-a-till-sale`: a till sale committed, its answer never left.
 */
export const FAULT_POINTS = ['crash-before-publishing-a-sale', 'crash-after-committing-a-till-sale'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/** Dies at once, as `kill -9` would, when this replica was started to fail at `point`. */
export function crashAt(config: { faultInjection: string }, point: FaultPoint): void {
  if (config.faultInjection === point) process.kill(process.pid, 'SIGKILL');
}
