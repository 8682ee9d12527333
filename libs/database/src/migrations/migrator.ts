import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { openDriverAdapter } from '../driver-adapter.js';
import { openSchemaEngine } from './schema-engine.js';

export interface MigrationPaths {
  /** prisma/migrations (Prisma Migrate folder format). */
  migrationsDir: string;
  /** prisma/schema.prisma */
  schemaPath: string;
}

export interface DeployOptions extends Partial<MigrationPaths> {
  log?: (line: string) => void;
}

export interface CreateMigrationResult {
  /** e.g. 20260101120000_init; null when the schema has no changes. */
  name: string | null;
  dir: string | null;
}

const LOCKFILE = 'migration_lock.toml';
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * Repo root = nearest ancestor of this file holding package.json and prisma/schema.prisma, so this
 * works from libs/database/src/migrations (tsx, vitest) and from dist/libs/database/src/migrations.
 */
export function defaultMigrationPaths(from: string = dirname(fileURLToPath(import.meta.url))): MigrationPaths {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'prisma', 'schema.prisma'))) {
      return { migrationsDir: join(dir, 'prisma', 'migrations'), schemaPath: join(dir, 'prisma', 'schema.prisma') };
    }
    if (dirname(dir) === dir) throw new Error(`No package.json + prisma/schema.prisma above ${from}`);
  }
}

function paths(opts: Partial<MigrationPaths>): MigrationPaths {
  const d = opts.migrationsDir && opts.schemaPath ? undefined : defaultMigrationPaths();
  return { migrationsDir: opts.migrationsDir ?? d!.migrationsDir, schemaPath: opts.schemaPath ?? d!.schemaPath };
}

/** Reads the migrations folder the way the Prisma CLI does (sorted dirs, each with migration.sql). */
export async function readMigrationList(migrationsDir: string): Promise<MigrationList> {
  const lock = await readFile(join(migrationsDir, LOCKFILE), 'utf8').catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    dirs.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (e: Error) => ({ tag: 'error' as const, value: e.message }),
        ),
      },
    })),
  );
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: lock },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/**
 * Applies pending migrations from prisma/migrations (same `_prisma_migrations` bookkeeping and
 * checksums as `prisma migrate deploy`). Returns the names of the migrations applied now.
 */
export async function deployMigrations(factory: SqlMigrationAwareDriverAdapterFactory, opts: DeployOptions = {}): Promise<string[]> {
  const { migrationsDir, schemaPath } = paths(opts);
  const migrationsList = await readMigrationList(migrationsDir);
  const h = await openSchemaEngine(factory, {
    schemaPath,
    schemaText: await readFile(schemaPath, 'utf8'),
    log: opts.log,
  });
  try {
    const out = await h.run((e) => e.applyMigrations({ migrationsList, filters: NO_FILTER }));
    return out.appliedMigrationNames;
  } finally {
    await h.close();
  }
}

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql for the diff between the migration
 * history and the current schema. Uses a scratch in-memory PGlite, never a real database.
 */
export async function createMigration(
  name: string,
  opts: Partial<MigrationPaths> & { log?: (line: string) => void } = {},
): Promise<CreateMigrationResult> {
  const { migrationsDir, schemaPath } = paths(opts);
  const migrationName = name.trim().replace(/[^A-Za-z0-9_]+/g, '_');
  if (!migrationName) throw new Error('Migration name is required');
  const schemaText = await readFile(schemaPath, 'utf8');
  const migrationsList = await readMigrationList(migrationsDir);

  const scratch = await openDriverAdapter({ pglite: 'memory' });
  try {
    const h = await openSchemaEngine(scratch.factory, { schemaPath, schemaText, log: opts.log });
    try {
      await h.run((e) => e.applyMigrations({ migrationsList, filters: NO_FILTER }));
      const diag = await h.run((e) => e.devDiagnostic({ migrationsList, filters: NO_FILTER }));
      if (diag.action.tag === 'reset') {
        throw new Error(`Migration history is inconsistent: ${diag.action.reason}`);
      }
      const out = await h.run((e) =>
        e.createMigration({
          draft: false,
          migrationName,
          migrationsList,
          schema: { files: [{ path: schemaPath, content: schemaText }] },
          filters: NO_FILTER,
        }),
      );
      if (out.migrationScript === null) return { name: null, dir: null };

      const dir = join(migrationsDir, out.generatedMigrationName);
      if (existsSync(dir)) throw new Error(`Migration directory already exists: ${dir}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `migration.${out.extension}`), out.migrationScript, 'utf8');
      await writeFile(
        join(migrationsDir, LOCKFILE),
        '# Please do not edit this file manually\n' +
          '# It should be added in your version-control system (e.g., Git)\n' +
          `provider = "${out.connectorType}"\n`,
        'utf8',
      );
      return { name: out.generatedMigrationName, dir };
    } finally {
      await h.close();
    }
  } finally {
    await scratch.close();
  }
}
