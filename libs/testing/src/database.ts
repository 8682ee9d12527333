import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { deployMigrations, deviceKeyHash, openDriverAdapter, PrismaService, seedDemoData } from '@retail/database';
import { TEST_DEVICE_KEY } from './clients.js';
import { POSTGRES_ADMIN_URI } from './probe-services.js';

export interface TestDatabase {
  uri: string;
  drop(): Promise<void>;
}

async function admin<T>(adminUri: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUri });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh PostgreSQL database for one test file: created, migrated and seeded, every seeded till
 * keyed with TEST_DEVICE_KEY; dropped by `drop()`. On the shared server, or on the one `adminUri`
 * names (e.g. a private server a test stops).
 */
export async function createTestDatabase({ migrate = true, seed = true, adminUri = POSTGRES_ADMIN_URI } = {}): Promise<TestDatabase> {
  const name = `rt_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await admin(adminUri, (c) => c.query(`CREATE DATABASE ${name}`));
  const uri = Object.assign(new URL(adminUri), { pathname: `/${name}` }).toString();
  const drop = () => admin(adminUri, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
  if (!migrate) return { uri, drop };
  const prisma = await connectPrisma(uri);
  try {
    await deployMigrations(prisma.driver.factory);
    if (seed) {
      await seedDemoData(prisma);
      // The seed's till keys are random and shown to nobody: tests log in on tills with a known one.
      await prisma.posDevice.updateMany({ data: { keyHash: deviceKeyHash(TEST_DEVICE_KEY) } });
    }
  } finally {
    await prisma.onApplicationShutdown();
  }
  return { uri, drop };
}

/** A Prisma client on a test database, for assertions straight against the data. */
export async function connectPrisma(uri: string): Promise<PrismaService> {
  return new PrismaService(await openDriverAdapter({ databaseUri: uri, dataDir: '' }));
}
