import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PrismaService } from '@retail/database';
import {
  api,
  connectPrisma,
  connectSocket,
  craftToken,
  createTestDatabase,
  createUser,
  decodeClaims,
  demoIds,
  describeWithServices,
  login,
  loginSession,
  REDIS_TEST_URL,
  sessionEnd,
  startCluster,
  until,
  type Cluster,
  type LoginOptions,
  type SessionTokens,
  type TestDatabase,
} from '@retail/testing';

// What the issue asks of an ended session: its tokens refused and its sockets closed on every replica within 2 s.
const DEADLINE_MS = 2_000;
const ENDED = { ended: { code: 'token_revoked', message: expect.any(String) }, reason: 'io server disconnect' };

/**
 * Each way a session ends, on a cluster of two replicas sharing PostgreSQL and Redis: the end is
 * asked of replica A (0); the session's access token and socket are watched on replica B (1),
 * whose access cache already holds the session.
 */
describeWithServices(['postgres', 'redis'], 'sessions that really end, and paired tills, across replicas', () => {
  let db: TestDatabase;
  let prisma: PrismaService;
  let cluster: Cluster;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let admin: string;
  const sockets: Socket[] = [];
  const base = (i: number) => cluster.replicas[i].httpUrl;
  const me = (i: number, token: string) => api(base(i), 'GET', '/auth/me', token);
  const refresh = (i: number, refreshToken: string) => api(base(i), 'POST', '/auth/refresh', undefined, { refreshToken });
  const refused = (code: string) => ({ status: 401, body: { statusCode: 401, code } });

  /** A session logged in on A, in use on B: B has resolved its token (so caches it) and holds a socket of it. */
  const liveSession = async (email: string, options: LoginOptions) => {
    const tokens = await loginSession(base(0), email, options);
    expect((await me(1, tokens.accessToken)).status).toBe(200);
    const socket = await connectSocket(cluster.replicas[1].wsUrl, 'notifications', tokens.accessToken);
    sockets.push(socket);
    return { ...tokens, socket };
  };
  type Live = SessionTokens & { socket: Socket };

  /** Starts `end` and expects each session's token refused on B and its socket there closed, within the deadline. */
  const expectEndedOnB = async (sessions: Live[], end: () => Promise<unknown>) => {
    const closed = sessions.map((s) => sessionEnd(s.socket, DEADLINE_MS));
    await end();
    for (const { accessToken } of sessions) {
      await until('the token refused on replica B', async () => (await me(1, accessToken)).status === 401, DEADLINE_MS);
      expect(await me(1, accessToken)).toMatchObject(refused('token_revoked'));
    }
    for (const end of await Promise.all(closed)) expect(end).toEqual(ENDED);
  };
  const endReasons = async (userId: string) =>
    (await prisma.loginSession.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } })).map((s) => s.endReason);
  const newCashier = () => createUser(base(0), admin, { role: 'CASHIER', workspaceIds: [ids.centro] });
  const newTill = async () => {
    const device = await api(base(0), 'POST', `/workspaces/${ids.centro}/devices`, admin, { name: `Till ${randomUUID().slice(0, 8)}` });
    expect(device.status).toBe(201);
    return device.body as { id: string; deviceKey: string };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = await connectPrisma(db.uri);
    cluster = await startCluster({ replicas: 2, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    ids = await demoIds(base(0));
    admin = await login(base(0), 'admin@demo.local');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await cluster?.stop();
    await prisma?.$disconnect();
    await db?.drop();
  });

  it("logout ends that session on the other replica, its token and its socket; the user's other session goes on", async () => {
    const cashier = await newCashier();
    const ending = await liveSession(cashier.email, { password: cashier.password });
    const other = await liveSession(cashier.email, { password: cashier.password });

    await expectEndedOnB([ending], async () =>
      expect((await api(base(0), 'POST', '/auth/logout', undefined, { refreshToken: ending.refreshToken })).status).toBe(204),
    );

    expect((await me(1, other.accessToken)).status).toBe(200);
    expect(other.socket.connected).toBe(true);
    expect(await refresh(1, ending.refreshToken)).toMatchObject(refused('refresh_token_revoked'));
    expect(await endReasons(cashier.id)).toEqual(['LOGOUT', null]);
  });

  it('a reused refresh token ends the whole session: the tokens from before and after the refresh, and its socket', async () => {
    const cashier = await newCashier();
    const first = await loginSession(base(0), cashier.email, { password: cashier.password });
    const renewed = await refresh(0, first.refreshToken);
    expect(renewed.status).toBe(200);
    const current = await liveSession(cashier.email, { password: cashier.password });
    const sameSession: Live = {
      ...(renewed.body as SessionTokens),
      socket: await connectSocket(cluster.replicas[1].wsUrl, 'pos', renewed.body.accessToken),
    };
    sockets.push(sameSession.socket);
    expect((await me(1, first.accessToken)).status).toBe(200);

    await expectEndedOnB([sameSession], async () =>
      expect(await refresh(0, first.refreshToken)).toMatchObject(refused('refresh_token_reused')),
    );

    expect(await me(1, first.accessToken)).toMatchObject(refused('token_revoked'));
    expect(await refresh(1, renewed.body.refreshToken)).toMatchObject(refused('refresh_token_revoked'));
    // Another login of the same user is another session.
    expect((await me(1, current.accessToken)).status).toBe(200);
    expect(await endReasons(cashier.id)).toEqual(['REFRESH_REUSED', null]);
  });

  it('logout-all ends every session of the caller, on a till or not, and needs a token', async () => {
    const cashier = await newCashier();
    const till = await newTill();
    const plain = await liveSession(cashier.email, { password: cashier.password });
    const onTill = await liveSession(cashier.email, { password: cashier.password, deviceId: till.id, deviceKey: till.deviceKey });

    await expectEndedOnB([plain, onTill], async () =>
      expect((await api(base(0), 'POST', '/auth/logout-all', plain.accessToken)).status).toBe(204),
    );

    expect(await api(base(0), 'POST', '/auth/logout-all')).toMatchObject(refused('token_missing'));
    expect(await refresh(0, onTill.refreshToken)).toMatchObject(refused('refresh_token_revoked'));
    expect(await endReasons(cashier.id)).toEqual(['LOGOUT_ALL', 'LOGOUT_ALL']);
    expect((await me(1, await login(base(1), cashier.email, { password: cashier.password }))).status).toBe(200);
  });

  it("a password change ends the caller's other sessions, not its own; the new password is the one that logs in", async () => {
    const cashier = await newCashier();
    const changing = await liveSession(cashier.email, { password: cashier.password });
    const other = await liveSession(cashier.email, { password: cashier.password });
    const change = (token: string, body: object) => api(base(0), 'POST', '/auth/password', token, body);

    expect(await change(changing.accessToken, { currentPassword: cashier.password, newPassword: 'short' })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    const newPassword = 'a-new-password-2';
    await expectEndedOnB([other], async () =>
      expect((await change(changing.accessToken, { currentPassword: cashier.password, newPassword })).status).toBe(204),
    );

    expect((await me(1, changing.accessToken)).status).toBe(200);
    expect(changing.socket.connected).toBe(true);
    expect((await refresh(1, changing.refreshToken)).status).toBe(200);
    const withOld = await api(base(1), 'POST', '/auth/login', undefined, { email: cashier.email, password: cashier.password });
    expect(withOld).toMatchObject(refused('invalid_credentials'));
    expect((await loginSession(base(1), cashier.email, { password: newPassword })).accessToken).toEqual(expect.any(String));
    expect(await endReasons(cashier.id)).toEqual([null, 'PASSWORD_CHANGED', null]);
  });

  it('a wrong current password is 403 current_password_invalid, never 401, and guessing it stops at the login limit', async () => {
    const cashier = await newCashier();
    const token = await login(base(0), cashier.email, { password: cashier.password });
    const guesses = [];
    for (let i = 0; i < 6; i++) {
      const guess = await api(base(i % 2), 'POST', '/auth/password', token, {
        currentPassword: `guess-${i}`,
        newPassword: 'whatever-it-is',
      });
      guesses.push(`${guess.status} ${guess.body.code}`);
    }
    // Five failures a minute for an account at one address, as for logins, on every replica.
    expect(guesses).toEqual([...Array(5).fill('403 current_password_invalid'), '429 rate_limited']);
    // The caller's session is untouched.
    expect((await me(1, token)).status).toBe(200);
  });

  it('disabling a user ends all of their sessions for good: re-enabling revives none', async () => {
    const cashier = await newCashier();
    const till = await newTill();
    const sessions = [
      await liveSession(cashier.email, { password: cashier.password }),
      await liveSession(cashier.email, { password: cashier.password, deviceId: till.id, deviceKey: till.deviceKey }),
    ];

    await expectEndedOnB(sessions, async () =>
      expect((await api(base(0), 'PATCH', `/users/${cashier.id}`, admin, { disabled: true })).status).toBe(200),
    );
    expect((await api(base(0), 'PATCH', `/users/${cashier.id}`, admin, { disabled: false })).status).toBe(200);

    for (const session of sessions) {
      expect(await refresh(1, session.refreshToken)).toMatchObject(refused('refresh_token_revoked'));
      expect(await me(1, session.accessToken)).toMatchObject(refused('token_revoked'));
    }
    expect(await endReasons(cashier.id)).toEqual(['USER_DISABLED', 'USER_DISABLED']);
    // Enabled again, the user logs in afresh.
    expect((await me(1, await login(base(0), cashier.email, { password: cashier.password }))).status).toBe(200);
  });

  it('a session lives SESSION_MAX_DAYS (30) at most: past it, its token is refused and its refresh is session_expired', async () => {
    const cashier = await newCashier();
    const session = await loginSession(base(0), cashier.email, { password: cashier.password });
    const { sid } = decodeClaims(session.accessToken);
    const row = await prisma.loginSession.findUniqueOrThrow({ where: { id: sid } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 86_400_000);
    const token = await prisma.refreshToken.findFirstOrThrow({ where: { sessionId: sid } });
    expect(token.expiresAt.getTime()).toBeLessThanOrEqual(row.expiresAt.getTime());

    await prisma.loginSession.update({ where: { id: sid }, data: { expiresAt: new Date(Date.now() - 1000) } });

    // Not announced (time passing is not): each replica sees it once its cache of the session runs out.
    for (const i of [0, 1]) {
      await until(`the session refused on replica ${i}`, async () => (await me(i, session.accessToken)).status === 401, 10_000);
      expect(await me(i, session.accessToken)).toMatchObject(refused('token_revoked'));
    }
    expect(await refresh(1, session.refreshToken)).toMatchObject(refused('session_expired'));
  });

  it('refuses a token naming no session (token_invalid), or a session that is not its own (token_revoked)', async () => {
    const claims = decodeClaims(await login(base(0), 'manager@demo.local'));
    const { sid: _sid, ...withoutSession } = claims;
    expect(await me(1, craftToken(withoutSession))).toMatchObject(refused('token_invalid'));
    expect(await me(1, craftToken({ ...claims, sid: 'not-a-session-id' }))).toMatchObject(refused('token_invalid'));
    expect(await me(1, craftToken({ ...claims, sid: randomUUID() }))).toMatchObject(refused('token_revoked'));
    const someoneElses = decodeClaims(await login(base(0), 'staff@demo.local')).sid;
    expect(await me(1, craftToken({ ...claims, sid: someoneElses }))).toMatchObject(refused('token_revoked'));
    // The same claims, honestly signed, pass: only the session was changed.
    expect((await me(1, craftToken(claims))).status).toBe(200);
  });

  it('a till logs in only with its current key: without one, or with a wrong one, 401 device_key_invalid', async () => {
    const till = await newTill();
    expect(till.deviceKey).toMatch(/^[\w-]{43}$/);
    const listed = await api(base(1), 'GET', `/workspaces/${ids.centro}/devices`, admin);
    const shown = listed.body.find((d: { id: string }) => d.id === till.id);
    expect(Object.keys(shown).sort()).toEqual(['id', 'name', 'presence', 'retired', 'workspaceId']);

    const logIn = (extra: object) =>
      api(base(1), 'POST', '/auth/login', undefined, { email: 'cashier1@demo.local', password: 'demo1234', deviceId: till.id, ...extra });
    expect(await logIn({})).toMatchObject(refused('device_key_invalid'));
    expect(await logIn({ deviceKey: `${till.deviceKey.slice(0, -1)}A` })).toMatchObject(refused('device_key_invalid'));
    expect(await logIn({ deviceKey: 'x' })).toMatchObject(refused('device_key_invalid'));
    const loggedIn = await logIn({ deviceKey: till.deviceKey });
    expect(loggedIn.status).toBe(200);
    expect(decodeClaims(loggedIn.body.accessToken).deviceId).toBe(till.id);
  });

  it("a new key ends the till's sessions and the old key stops working; only an ADMIN of the till's store issues one", async () => {
    const till = await newTill();
    const cashier = await newCashier();
    const onTill = await liveSession(cashier.email, { password: cashier.password, deviceId: till.id, deviceKey: till.deviceKey });
    const offTill = await liveSession(cashier.email, { password: cashier.password });
    const issue = (token: string, workspaceId = ids.centro) =>
      api(base(0), 'POST', `/workspaces/${workspaceId}/devices/${till.id}/key`, token);

    const manager = await login(base(0), 'manager@demo.local');
    expect(await issue(manager)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await issue(admin, ids.norte)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await issue(await login(base(0), 'admin@other.local'))).toMatchObject({ status: 404 });
    expect((await me(1, onTill.accessToken)).status).toBe(200);

    let newKey = '';
    await expectEndedOnB([onTill], async () => {
      const issued = await issue(admin);
      expect(issued).toMatchObject({
        status: 200,
        body: { id: till.id, workspaceId: ids.centro, deviceKey: expect.stringMatching(/^[\w-]{43}$/) },
      });
      newKey = issued.body.deviceKey;
    });

    expect(newKey).not.toBe(till.deviceKey);
    expect((await me(1, offTill.accessToken)).status).toBe(200);
    expect(await refresh(1, onTill.refreshToken)).toMatchObject(refused('refresh_token_revoked'));
    const withOld = await api(base(1), 'POST', '/auth/login', undefined, {
      email: cashier.email,
      password: cashier.password,
      deviceId: till.id,
      deviceKey: till.deviceKey,
    });
    expect(withOld).toMatchObject(refused('device_key_invalid'));
    expect(
      (await loginSession(base(1), cashier.email, { password: cashier.password, deviceId: till.id, deviceKey: newKey })).accessToken,
    ).toEqual(expect.any(String));
    expect(await endReasons(cashier.id)).toEqual(['DEVICE_KEY_ROTATED', null, null]);
  });
});
