import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessChanges, AccessResolver, accessTokenClaims, TokenService, type AccessChange } from '@retail/auth';
import { AppConfig, parseEnv } from '@retail/config';
import { TransactionRunner, type PrismaService } from '@retail/database';
import { RedisConnections } from '@retail/redis';
import {
  connectPrisma,
  createTestDatabase,
  describeWithServices,
  REDIS_TEST_URL,
  sleep,
  until,
  TEST_JWT_SECRET,
  type TestDatabase,
} from '@retail/testing';

/** One replica's access layer: its own Redis connections, cache and listeners, on the shared database. */
function replicaAccess(prisma: PrismaService, keyPrefix: string) {
  const config = new AppConfig(parseEnv({ JWT_SECRET: TEST_JWT_SECRET, REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: keyPrefix }));
  const redis = new RedisConnections(config);
  const changes = new AccessChanges(redis);
  const tokens = new TokenService(config);
  const resolver = new AccessResolver(prisma, tokens, changes);
  const heard: AccessChange[] = [];
  changes.onChanged((change) => heard.push(change));
  return { redis, changes, tokens, resolver, heard };
}

describeWithServices(['postgres', 'redis'], 'AccessResolver and AccessChanges across two replicas', () => {
  let db: TestDatabase;
  let prisma: PrismaService;
  let a: ReturnType<typeof replicaAccess>;
  let b: ReturnType<typeof replicaAccess>;
  const userOf = (email: string) => prisma.user.findUniqueOrThrow({ where: { email }, include: { workspaces: true } });
  /** The claims of a token of a new live session of the user, as a login would open it (on a device, if given). */
  const claimsFor = async (email: string, deviceId?: string) => {
    const user = await userOf(email);
    const expiresAt = new Date(Date.now() + 3_600_000);
    const session = await prisma.loginSession.create({ data: { id: randomUUID(), userId: user.id, deviceId, expiresAt } });
    return accessTokenClaims(user, session);
  };
  const FAR = Math.floor(Date.now() / 1000) + 3600;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = await connectPrisma(db.uri);
    const prefix = `rt-access-${randomBytes(4).toString('hex')}`;
    [a, b] = [replicaAccess(prisma, prefix), replicaAccess(prisma, prefix)];
    for (const replica of [a, b]) {
      await replica.redis.onModuleInit();
      replica.changes.onModuleInit();
    }
    await sleep(300); // both subscribed
  });
  afterAll(async () => {
    await Promise.all([a, b].map((r) => r?.redis.onApplicationShutdown()));
    await prisma?.onApplicationShutdown();
    await db?.drop();
  });

  it('resolves a signed token to the role, permissions and stores the database holds; an ADMIN lists no stores', async () => {
    const cashier = await userOf('cashier1@demo.local');
    const { accessToken } = a.tokens.sign(await claimsFor('cashier1@demo.local'));
    expect(await a.resolver.authenticate(accessToken)).toMatchObject({
      userId: cashier.id,
      companyId: cashier.companyId,
      role: 'CASHIER',
      workspaceIds: cashier.workspaces.map((w) => w.workspaceId),
      permissions: expect.arrayContaining(['pos:sell']),
      accessVersion: cashier.accessVersion,
    });
    const admin = await a.resolver.resolve(await claimsFor('admin@demo.local'), FAR);
    expect(admin).toMatchObject({ role: 'ADMIN', workspaceIds: [], permissions: expect.arrayContaining(['users:manage']) });
  });

  it('serves from its cache until an announced change, which every replica hears and drops', async () => {
    const staff = await userOf('staff@demo.local');
    const claims = await claimsFor('staff@demo.local');
    const norte = await prisma.workspace.findFirstOrThrow({ where: { name: 'Norte' } });
    expect((await b.resolver.resolve(claims, FAR)).workspaceIds).toEqual(staff.workspaces.map((w) => w.workspaceId));

    await prisma.workspaceMember.create({ data: { userId: staff.id, workspaceId: norte.id } });
    // Not announced yet: the cached access stands (for a few seconds at most).
    expect((await b.resolver.resolve(claims, FAR)).workspaceIds).not.toContain(norte.id);

    await a.changes.announce({ userIds: [staff.id] });
    expect(a.heard.at(-1)).toEqual({ userIds: [staff.id], deviceIds: [], sessionIds: [] }); // this replica at once
    await until('the change heard on replica B', () => b.heard.some((c) => c.userIds.includes(staff.id)), 5_000);
    expect((await b.resolver.resolve(claims, FAR)).workspaceIds).toContain(norte.id);
  });

  it('revokes a token of another access version, of a disabled user, or of a retired device', async () => {
    const manager = await userOf('manager@demo.local');
    const device = await prisma.posDevice.findFirstOrThrow({ where: { name: 'POS-NORTE-1' } });
    const claims = await claimsFor('manager@demo.local', device.id);
    expect((await a.resolver.resolve(claims, FAR)).deviceId).toBe(device.id);

    const revoked = { code: 'token_revoked' };
    await expect(a.resolver.resolve({ ...claims, ver: claims.ver + 1 }, FAR)).rejects.toMatchObject(revoked);

    const withoutDevice = await claimsFor('manager@demo.local');
    await prisma.posDevice.update({ where: { id: device.id }, data: { retired: true } });
    await a.changes.announce({ deviceIds: [device.id] });
    await expect(a.resolver.resolve(claims, FAR)).rejects.toMatchObject(revoked);
    expect((await a.resolver.resolve(withoutDevice, FAR)).role).toBe('MANAGER');

    await prisma.user.update({ where: { id: manager.id }, data: { disabled: true } });
    await a.changes.announce({ userIds: [manager.id] });
    await expect(a.resolver.resolve(withoutDevice, FAR)).rejects.toMatchObject(revoked);
  });

  it("refuses a token of an ended session on every replica once announced, though its user's access stands", async () => {
    const claims = await claimsFor('cashier2@demo.local');
    const other = await claimsFor('cashier2@demo.local');
    // Both replicas hold the live session in their cache.
    for (const replica of [a, b]) expect((await replica.resolver.resolve(claims, FAR)).sessionId).toBe(claims.sid);

    await prisma.loginSession.update({ where: { id: claims.sid }, data: { endedAt: new Date(), endReason: 'LOGOUT' } });
    await a.changes.announce({ sessionIds: [claims.sid] });
    await expect(a.resolver.resolve(claims, FAR)).rejects.toMatchObject({ code: 'token_revoked', message: expect.stringMatching(/ended/) });
    await until(
      'the ended session refused on replica B',
      () =>
        b.resolver.resolve(claims, FAR).then(
          () => false,
          () => true,
        ),
      5_000,
    );
    // The user's other session goes on.
    expect((await b.resolver.resolve(other, FAR)).sessionId).toBe(other.sid);
  });

  it("refuses a session past its maximum age, an unknown session, and a session that is not the token's", async () => {
    const claims = await claimsFor('staff@demo.local');
    await prisma.loginSession.update({ where: { id: claims.sid }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(a.resolver.resolve(claims, FAR)).rejects.toMatchObject({
      code: 'token_revoked',
      message: expect.stringMatching(/maximum age/),
    });

    const live = await claimsFor('staff@demo.local');
    await expect(a.resolver.resolve({ ...live, sid: randomUUID() }, FAR)).rejects.toMatchObject({ code: 'token_revoked' });
    // Another user's live session does not lend itself to this user's token.
    const someoneElse = await claimsFor('cashier1@demo.local');
    await expect(a.resolver.resolve({ ...live, sid: someoneElse.sid }, FAR)).rejects.toMatchObject({ code: 'token_revoked' });
  });

  it('resolves many tokens again at once, from the database, not the cache: each settles apart', async () => {
    const cashier = await userOf('cashier2@demo.local');
    const centro = await prisma.workspace.findFirstOrThrow({ where: { name: 'Centro' } });
    const current = { claims: await claimsFor('cashier2@demo.local'), expiresAt: FAR };
    const outdated = { claims: { ...(await claimsFor('admin@demo.local')), ver: -1 }, expiresAt: FAR };
    expect((await a.resolver.resolve(current.claims, FAR)).workspaceIds).not.toContain(centro.id);

    // Not announced: the cache still has the old stores, a re-read does not.
    await prisma.workspaceMember.create({ data: { userId: cashier.id, workspaceId: centro.id } });
    const [fresh, revoked] = await a.resolver.resolveMany([current, outdated]);

    expect(fresh).toMatchObject({ status: 'fulfilled', value: { userId: cashier.id, workspaceIds: expect.arrayContaining([centro.id]) } });
    expect(revoked).toMatchObject({ status: 'rejected', reason: { code: 'token_revoked' } });
    expect((await a.resolver.resolve(current.claims, FAR)).workspaceIds).toContain(centro.id);
  });

  it('announces after the commit only: a rolled-back change is never announced', async () => {
    const transactions = new TransactionRunner(prisma);
    const before = a.heard.length;
    await expect(
      transactions.run(async (tx) => {
        a.changes.announceAfterCommit(tx, { userIds: ['rolled-back'] });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await transactions.run(async (tx) => a.changes.announceAfterCommit(tx, { userIds: ['committed'] }));
    expect(a.heard.slice(before).map((c) => c.userIds)).toEqual([['committed']]);
    await until('the committed change heard on replica B', () => b.heard.some((c) => c.userIds.includes('committed')), 5_000);
    expect(b.heard.some((c) => c.userIds.includes('rolled-back'))).toBe(false);
  });
});

describe('AccessChanges in single-node mode (no Redis)', () => {
  it('delivers an announced change to this process, without Redis', async () => {
    const redis = new RedisConnections(new AppConfig(parseEnv({ JWT_SECRET: TEST_JWT_SECRET, REDIS_URL: '' })));
    const changes = new AccessChanges(redis);
    changes.onModuleInit();
    const heard: AccessChange[] = [];
    changes.onChanged((change) => heard.push(change));
    await changes.announce({ userIds: ['u1'], deviceIds: ['d1'] });
    expect(heard).toEqual([{ userIds: ['u1'], deviceIds: ['d1'], sessionIds: [] }]);
  });
});
