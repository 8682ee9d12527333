import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase } from '@retail/testing';
import pg from 'pg';
import { cpuMeter } from './cpu.js';

const run = promisify(execFile);

/** pgbench from PATH, or from the newest PostgreSQL install Debian keeps off the PATH. */
async function pgbenchBinary(): Promise<string> {
  try {
    const { stdout } = await run('pg_config', ['--bindir']);
    return resolve(stdout.trim(), 'pgbench');
  } catch {
    return 'pgbench';
  }
}

export interface PgbenchResult {
  clients: number;
  seconds: number;
  transactionsPerSecond: number;
  latencyAverageMs: number;
  /** CPU of every process but pgbench itself (PostgreSQL above all) per transaction, ms. */
  serverCpuMsPerTransaction: number;
}

/** PostgreSQL's own ceiling for a checkout-shaped transaction (bench/pgbench/checkout.sql), on a scratch database. */
export async function measurePgbench(adminUri: string, clients: number, seconds: number): Promise<PgbenchResult> {
  const db = await createTestDatabase({ migrate: false, adminUri });
  try {
    const client = new pg.Client({ connectionString: db.uri });
    await client.connect();
    await client.query(readFileSync(resolve('bench/pgbench/checkout-schema.sql'), 'utf8'));
    await client.end();
    const binary = await pgbenchBinary();
    const meter = cpuMeter();
    meter.start();
    const { stdout } = await run(binary, [
      '-n', // no vacuum of pgbench's own tables: there are none
      `--client=${clients}`,
      '--jobs=2',
      `--time=${seconds}`,
      `--file=${resolve('bench/pgbench/checkout.sql')}`,
      db.uri,
    ]);
    meter.stop();
    const tps = /tps = ([\d.]+)/.exec(stdout);
    const latency = /latency average = ([\d.]+) ms/.exec(stdout);
    const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
    if (!tps || !latency || !processed) throw new Error(`pgbench output not understood:\n${stdout}`);
    return {
      clients,
      seconds,
      transactionsPerSecond: Number(tps[1]),
      latencyAverageMs: Number(latency[1]),
      serverCpuMsPerTransaction: meter.use.serverMs / Number(processed[1]),
    };
  } finally {
    await db.drop();
  }
}
