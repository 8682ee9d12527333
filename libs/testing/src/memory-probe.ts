import { resolve } from 'node:path';

// Never part of the product: preloaded into a replica by tests and the bench (see the file).
const PROBE = resolve('bench/probe/memory-probe.mjs');

/** Env that loads the memory probe into a replica, answering on `port`. */
export const memoryProbeEnv = (port: number) => ({
  NODE_OPTIONS: `--expose-gc --import=${PROBE}`,
  BENCH_PROBE_PORT: String(port),
});

export interface ProbedMemory {
  rss: number;
  heapUsed: number;
  external: number;
}

/** A probed replica's memory, read from the inside after a full garbage collection: what it holds, not what it has yet to collect. */
export async function probedMemory(port: number): Promise<ProbedMemory> {
  return (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as ProbedMemory;
}
