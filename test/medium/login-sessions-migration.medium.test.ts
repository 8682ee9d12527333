import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { defaultMigrationPaths, deployMigrations, openDriverAdapter } from '@retail/database';
import { createTestDatabase, describeWithServices, type TestDatabase } from '@retail/testing';

const MIGRATION = '20261207141429_login_sessions_and_device_keys';
const { migrationsDir } = defaultMigrationPaths();

/** The migrations folder as it was just before MIGRATION. */
function migrationsBefore(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mig-before-'));
  for (const entry of readdirSync(migrationsDir)) {
    if (entry < name || !/^\d{14}_/.test(entry)) cpSync(join(migrationsDir, entry), join(dir, entry), { recursive: true });
  }
  return dir;
}

const [USER, COMPANY, STORE, DEVICE] = [
  'a0000000-0000-4000-8000-000000000001',
  'c0000000-0000-4000-8000-000000000001',
  'b0000000-0000-4000-8000-000000000001',
  'd0000000-0000-4000-8000-000000000001',
];
const [LIVE, ENDED] = ['e0000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000002'];

describeWithServices(['postgres'], 'the login-sessions migration on a database with refresh tokens', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    const before = migrationsBefore(MIGRATION);
    const db = await openDriverAdapter({ databaseUri: database.uri, dataDir: '' });
    try {
      await deployMigrations(db.factory, { migrationsDir: before });
      client = new pg.Client({ connectionString: database.uri });
      await client.connect();
      await client.query(`
        INSERT INTO "Company" (id, name) VALUES ('${COMPANY}', 'Co');
        INSERT INTO "Workspace" (id, "companyId", name) VALUES ('${STORE}', '${COMPANY}', 'Store');
        INSERT INTO "PosDevice" (id, "workspaceId", name) VALUES ('${DEVICE}', '${STORE}', 'Till');
        INSERT INTO "User" (id, "companyId", email, name, role, "passwordHash") VALUES ('${USER}', '${COMPANY}', 'u@x.local', 'U', 'CASHIER', 'h');
        -- A live family on the till: its first token used, the second current, created a day later.
        INSERT INTO "RefreshToken" (id, "familyId", "userId", "deviceId", "tokenHash", "expiresAt", "usedAt", "createdAt") VALUES
          (gen_random_uuid(), '${LIVE}', '${USER}', '${DEVICE}', 'live-1', now() + interval '100 days', now(), now() - interval '2 days'),
          (gen_random_uuid(), '${LIVE}', '${USER}', '${DEVICE}', 'live-2', now() + interval '100 days', NULL, now() - interval '1 day');
        -- A logged-out family.
        INSERT INTO "RefreshToken" (id, "familyId", "userId", "tokenHash", "expiresAt", "revokedAt") VALUES
          (gen_random_uuid(), '${ENDED}', '${USER}', 'ended-1', now() + interval '10 days', now());
      `);
      await deployMigrations(db.factory);
    } finally {
      await db.close();
      rmSync(before, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('keeps a live family as a live session of its user and till, aged from its first token', async () => {
    const { rows } = await client.query(`
      SELECT id, "userId", "deviceId", "endedAt", "endReason",
             round(extract(epoch FROM "expiresAt" - "createdAt") / 86400) AS days,
             "createdAt" < now() - interval '47 hours' AS "fromFirstToken"
      FROM "LoginSession"`);
    expect(rows).toEqual([{ id: LIVE, userId: USER, deviceId: DEVICE, endedAt: null, endReason: null, days: '30', fromFirstToken: true }]);
    const tokens = await client.query(`
      SELECT "tokenHash", "sessionId", "expiresAt" <= (SELECT "expiresAt" FROM "LoginSession") AS "withinSession"
      FROM "RefreshToken" ORDER BY "tokenHash"`);
    expect(tokens.rows).toEqual([
      { tokenHash: 'live-1', sessionId: LIVE, withinSession: true },
      { tokenHash: 'live-2', sessionId: LIVE, withinSession: true },
    ]);
  });

  it("drops an ended family's tokens, leaves tills without a key, and holds an ended session to a reason", async () => {
    expect((await client.query(`SELECT count(*)::int AS n FROM "RefreshToken" WHERE "tokenHash" = 'ended-1'`)).rows).toEqual([{ n: 0 }]);
    expect((await client.query(`SELECT "keyHash" FROM "PosDevice"`)).rows).toEqual([{ keyHash: null }]);
    await expect(client.query(`UPDATE "LoginSession" SET "endedAt" = now()`)).rejects.toThrow(/LoginSession_end_check/);
    await client.query(`UPDATE "LoginSession" SET "endedAt" = now(), "endReason" = 'LOGOUT'`);
  });
});
