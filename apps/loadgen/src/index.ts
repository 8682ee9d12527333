/** @retail/loadgen: the load simulator's engine, for its CLI (main.ts) and the benchmark. */
export { CHAIN_DEVICE_KEY, CHAIN_PASSWORD, chainNames, setupChain } from './chain-fixture.js';
export { runLoad, type LoadOptions, type LoadSummary, type LoadTick } from './load-run.js';
export { formatMs, percentiles, type Percentiles } from './stats.js';
