// Usage: tsx libs/database/src/migrations/cli.ts deploy | create <name>
//   deploy: DATABASE_URI (if non-empty) → PostgreSQL, else embedded PGlite in $DATA_DIR/pglite (default ./data)
//   create: writes prisma/migrations/<timestamp>_<name>/ from the schema diff (scratch in-memory PGlite)
import { openDriverAdapter } from '../driver-adapter.js';
import { createMigration, deployMigrations } from './migrator.js';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'deploy') {
    const db = await openDriverAdapter({
      databaseUri: process.env.DATABASE_URI?.trim() || undefined,
      dataDir: process.env.DATA_DIR || './data',
    });
    try {
      const applied = await deployMigrations(db.factory);
      console.log(
        applied.length
          ? `Applied ${applied.length} migration(s) to ${db.kind}:\n${applied.map((n) => `  - ${n}`).join('\n')}`
          : `No pending migrations (${db.kind}).`,
      );
    } finally {
      await db.close();
    }
    return 0;
  }
  if (cmd === 'create' && rest.length) {
    const res = await createMigration(rest.join('_'));
    console.log(res.dir ? `Created ${res.dir}` : 'No schema changes; no migration created.');
    return 0;
  }
  console.error('Usage: cli.ts deploy | cli.ts create <name>');
  return 2;
}

// The wasm engine leaves a timer behind (~10s), so exit explicitly instead of waiting for the loop to drain.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
