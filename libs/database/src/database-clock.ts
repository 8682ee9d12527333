import type { Db } from './transaction.js';

/**
 * The database's clock: one clock for every replica, so a replica's skew cannot move a business
 * instant (a sale, a refund) across midnight. `clock_timestamp()`, not `now()`: inside a
 * transaction it is the moment of the call, after any lock the caller waited for.
 */
export async function databaseNow(db: Db): Promise<Date> {
  const [{ now }] = await db.$queryRaw<[{ now: Date }]>`SELECT clock_timestamp() AS now`;
  return now;
}
