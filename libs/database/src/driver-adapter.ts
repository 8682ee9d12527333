import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { StatementCounts } from './statement-counts.js';

/** PostgreSQL only: bounds on the pool, so an unreachable or stuck server fails a request instead of hanging it. */
export interface PostgresTimeouts {
  /** Opening a connection. */
  connectMs: number;
  /** Any one statement, enforced by the server, so a cancelled statement leaves its connection usable. */
  statementMs: number;
}

export type DriverAdapterOptions = { databaseUri?: string; dataDir: string; timeouts?: PostgresTimeouts } | { pglite: 'memory' };

export interface OpenedDriverAdapter {
  /** Accepted by `new PrismaClient({ adapter })` and by `bindMigrationAwareSqlAdapterFactory`. */
  factory: SqlMigrationAwareDriverAdapterFactory;
  kind: 'postgres' | 'pglite';
  /** What was sent to PostgreSQL through this adapter (embedded PGlite: nothing is counted). */
  statements: StatementCounts;
  /** Ends the pg pool / closes PGlite (and any shadow PGlite). Idempotent. */
  close(): Promise<void>;
}

/**
 * `databaseUri` (non-empty) → PostgreSQL via @prisma/adapter-pg; otherwise embedded PGlite stored in
 * `${dataDir}/pglite`; `{ pglite: 'memory' }` → throwaway in-memory PGlite.
 */
export async function openDriverAdapter(opts: DriverAdapterOptions): Promise<OpenedDriverAdapter> {
  if ('databaseUri' in opts && opts.databaseUri) {
    const { timeouts } = opts;
    const statements = new StatementCounts();
    const factory = new WholeScriptPgFactory({
      connectionString: opts.databaseUri,
      Client: pooledClient(statements, timeouts?.connectMs),
      ...(timeouts && { statement_timeout: timeouts.statementMs }),
    });
    // PrismaPg creates its pool lazily inside connect() and ends it in the adapter's dispose();
    // nothing is held open by the factory itself.
    return { factory, kind: 'postgres', statements, close: async () => {} };
  }

  let dataDir: string | undefined;
  if ('dataDir' in opts) {
    const parent = resolve(opts.dataDir);
    mkdirSync(parent, { recursive: true, mode: 0o700 }); // PGlite requires the parent of its data dir to exist; private, like its secret
    dataDir = join(parent, 'pglite');
  }
  const db = await PGlite.create(dataDir); // undefined → in-memory
  const factory = new FixedPGliteFactory(db);
  return {
    factory,
    kind: 'pglite',
    statements: new StatementCounts(),
    close: async () => {
      await factory.closeShadows();
      if (!db.closed) await db.close();
    },
  };
}

/**
 * @prisma/adapter-pg splits a migration script on every `;`, which breaks any statement holding
 * one (a function body, a string). PostgreSQL runs a whole script as one simple query, atomically.
 */
class WholeScriptPgFactory extends PrismaPg {
  override async connect() {
    return withWholeScripts(await super.connect());
  }

  override async connectToShadowDb() {
    return withWholeScripts(await super.connectToShadowDb());
  }
}

function withWholeScripts<A extends SqlDriverAdapter>(adapter: A): A {
  const { client, onError } = adapter as unknown as { client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never };
  adapter.executeScript = async (script: string) => {
    try {
      await client.query(script);
    } catch (e) {
      onError.call(adapter, e);
    }
  };
  return adapter;
}

/**
 * The pool's connections: each statement counted, and opened within `connectionTimeoutMillis`.
 * pg's pool would apply its own connectionTimeoutMillis both to opening a connection and to
 * waiting for a free one. Only the first means the server is unreachable: a busy pool just queues,
 * its waits bounded by Prisma's transaction maxWait and the statement_timeout of the statements ahead.
 */
function pooledClient(statements: StatementCounts, connectionTimeoutMillis?: number): typeof pg.Client {
  return class extends pg.Client {
    constructor(config: pg.ClientConfig) {
      super({ ...config, ...(connectionTimeoutMillis === undefined ? {} : { connectionTimeoutMillis }) });
      const send = this.query.bind(this) as (...args: unknown[]) => unknown;
      this.query = ((...args: unknown[]) => {
        statements.count(args[0]);
        return send(...args);
      }) as pg.Client['query'];
    }
  };
}

/**
 * pglite-prisma-adapter 0.7.2 has two gaps that matter for migrations:
 * - `executeScript` does not await `client.exec()`, so a failing migration script is reported as
 *   success (and its rejection becomes an unhandled rejection);
 * - `connectToShadowDb` opens a new in-memory PGlite that is never closed.
 */
class FixedPGliteFactory extends PrismaPGlite implements SqlMigrationAwareDriverAdapterFactory {
  private readonly shadows: PGlite[] = [];

  constructor(private readonly db: PGlite) {
    super(db);
  }

  override async connect(): Promise<SqlDriverAdapter> {
    return withAwaitedExecuteScript(await super.connect(), this.db);
  }

  override async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = await PGlite.create();
    this.shadows.push(shadow);
    return withAwaitedExecuteScript(await new PrismaPGlite(shadow).connect(), shadow);
  }

  async closeShadows(): Promise<void> {
    for (const s of this.shadows.splice(0)) if (!s.closed) await s.close();
  }
}

function withAwaitedExecuteScript(adapter: SqlDriverAdapter, db: PGlite): SqlDriverAdapter {
  const onError = (adapter as unknown as { onError(e: unknown): never }).onError.bind(adapter);
  adapter.executeScript = async (script: string) => {
    try {
      await db.exec(script);
    } catch (e) {
      onError(e); // rethrows as DriverAdapterError (code, message, detail) for pg DatabaseErrors
    }
  };
  return adapter;
}
