import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDriverAdapter } from '../../libs/database/src/driver-adapter.js';
import { deployMigrations } from '../../libs/database/src/migrations/migrator.js';
import { PrismaClient } from '../../prisma/generated/client.js';
import { seedDemoData } from '../../prisma/seed-data.js';
import { POSTGRES_ADMIN_URI } from './probe-services.js';

export interface TestDatabase {
  uri: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URI });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL database for one test file: created, migrated and seeded; dropped by `drop()`. */
export async function createTestDatabase({ seed = true } = {}): Promise<TestDatabase> {
  const name = `rt_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const uri = Object.assign(new URL(POSTGRES_ADMIN_URI), { pathname: `/${name}` }).toString();
  const driver = await openDriverAdapter({ databaseUri: uri, dataDir: '' });
  const prisma = new PrismaClient({ adapter: driver.factory });
  try {
    await deployMigrations(driver.factory);
    if (seed) await seedDemoData(prisma);
  } finally {
    await prisma.$disconnect();
    await driver.close();
  }
  return { uri, drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/** A Prisma client on a test database, for assertions straight against the data. */
export async function connectPrisma(uri: string) {
  const driver = await openDriverAdapter({ databaseUri: uri, dataDir: '' });
  const prisma = new PrismaClient({ adapter: driver.factory });
  return { prisma, close: async () => (await prisma.$disconnect(), await driver.close()) };
}
