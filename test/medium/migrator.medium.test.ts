import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { createMigration, defaultMigrationPaths, deployMigrations, openDriverAdapter } from '@retail/database';
import { createTestDatabase, describeWithServices } from '@retail/testing';

const { migrationsDir, schemaPath } = defaultMigrationPaths();
const migrations = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const sha256 = (name: string) =>
  createHash('sha256')
    .update(readFileSync(join(migrationsDir, name, 'migration.sql')))
    .digest('hex');

async function query(factory: SqlMigrationAwareDriverAdapterFactory, sql: string): Promise<unknown[][]> {
  const conn = await factory.connect();
  try {
    return (await conn.queryRaw({ sql, args: [], argTypes: [] })).rows;
  } finally {
    await conn.dispose();
  }
}

/** Deploys, checks tables + _prisma_migrations bookkeeping, deploys again (must be a no-op). */
async function expectDeployWorks(factory: SqlMigrationAwareDriverAdapterFactory) {
  expect(await deployMigrations(factory)).toEqual(migrations);

  const tables = (await query(factory, `SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'`)).map(
    (r) => r[0],
  );
  expect(tables).toEqual(expect.arrayContaining(['Company', 'Workspace', 'User', 'WorkspaceMember', 'PosDevice', '_prisma_migrations']));

  const rows = await query(
    factory,
    `SELECT migration_name, checksum, finished_at IS NOT NULL, rolled_back_at IS NULL, applied_steps_count
       FROM _prisma_migrations ORDER BY migration_name`,
  );
  expect(rows).toEqual(migrations.map((m) => [m, sha256(m), true, true, 1]));

  expect(await deployMigrations(factory)).toEqual([]);
  expect(await query(factory, `SELECT count(*)::int FROM _prisma_migrations`)).toEqual([[migrations.length]]);
}

describe('migrations on in-memory PGlite', () => {
  it('has an initial migration and a postgresql migration_lock.toml', () => {
    expect(migrations.length).toBeGreaterThan(0);
    expect(readFileSync(join(migrationsDir, 'migration_lock.toml'), 'utf8')).toMatch(/^provider = "postgresql"$/m);
  });

  it('deploys all migrations with Prisma checksums, and a second deploy is a no-op', async () => {
    const db = await openDriverAdapter({ pglite: 'memory' });
    try {
      await expectDeployWorks(db.factory);
    } finally {
      await db.close();
    }
  });

  it('fails (and records the failure) when a migration script errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-bad-'));
    const db = await openDriverAdapter({ pglite: 'memory' });
    try {
      cpSync(migrationsDir, dir, { recursive: true });
      cpSync(join(migrationsDir, migrations[0]!), join(dir, '29990101000000_bad'), { recursive: true });
      writeFileSync(join(dir, '29990101000000_bad', 'migration.sql'), 'SELECT * FROM no_such_table;\n');
      await expect(deployMigrations(db.factory, { migrationsDir: dir })).rejects.toThrow(/no_such_table/);
      expect(
        await query(db.factory, `SELECT finished_at IS NULL FROM _prisma_migrations WHERE migration_name = '29990101000000_bad'`),
      ).toEqual([[true]]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createMigration', () => {
  it('finds no changes between prisma/migrations and prisma/schema.prisma', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-create-'));
    try {
      cpSync(migrationsDir, dir, { recursive: true });
      expect(await createMigration('noop', { migrationsDir: dir, schemaPath })).toEqual({ name: null, dir: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a new migration folder for a schema change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-create-'));
    try {
      cpSync(migrationsDir, dir, { recursive: true });
      const schema = join(dir, 'schema.prisma');
      writeFileSync(schema, readFileSync(schemaPath, 'utf8') + '\nmodel SpecProbe {\n  id Int @id\n}\n');
      const res = await createMigration('add spec probe', { migrationsDir: dir, schemaPath: schema });
      expect(res.name).toMatch(/^\d{14}_add_spec_probe$/);
      expect(readFileSync(join(res.dir!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "SpecProbe"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithServices(['postgres'], 'migrations on real PostgreSQL', () => {
  it('deploys all migrations with Prisma checksums, and a second deploy is a no-op', async () => {
    const database = await createTestDatabase({ migrate: false });
    const db = await openDriverAdapter({ databaseUri: database.uri, dataDir: '' });
    expect(db.kind).toBe('postgres');
    try {
      await expectDeployWorks(db.factory);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
