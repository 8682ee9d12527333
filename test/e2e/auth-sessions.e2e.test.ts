import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { jwtKeyId } from '@retail/config';
import type { PrismaService } from '@retail/database';
import { COMMANDS, CONTROL_EVENTS, Rooms } from '@retail/realtime-protocol';
import {
  ack,
  api,
  connectPrisma,
  connectStream,
  consecutive,
  craftToken,
  createTestDatabase,
  decodeClaims,
  decodeHeader,
  demoIds,
  describeWithServices,
  login,
  loginSession,
  openDashboard,
  productBySku,
  REDIS_TEST_URL,
  sell,
  sleep,
  startCluster,
  TEST_JWT_SECRET,
  type Cluster,
  type Replica,
  type SessionTokens,
  type TestDatabase,
} from '@retail/testing';

// The key being rolled over to, and one no replica knows.
const NEW_SECRET = 'NZ4OesjyGBBOOi8j5cZsWOBe3wm4QPbSX1g1L8YOzRE';
const UNKNOWN_SECRET = 'Lk7Tq2Vx9Rm4Wc8Zp1Hs6Jd3Fg5Nb0Ya7Ue2Io9Pw4';
// Replica B's access tokens live this long, so a socket outlives several of them within the test.
const SHORT_TOKEN_SECONDS = 8;

/**
 * Sessions on two replicas sharing PostgreSQL and Redis, in the middle of a key rollover: A still
 * signs with the old secret and already verifies the new one; B signs with the new one, verifies the
 * old one, and issues short access tokens.
 */
describeWithServices(['postgres', 'redis'], 'sessions: refresh rotation, reuse, logout, key rotation, in-band socket refresh', () => {
  let db: TestDatabase;
  let prisma: PrismaService;
  let cluster: Cluster;
  let a: Replica;
  let b: Replica;
  let ids: Awaited<ReturnType<typeof demoIds>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = await connectPrisma(db.uri);
    cluster = await startCluster({
      replicas: 2,
      databaseUri: db.uri,
      redisUrl: REDIS_TEST_URL,
      replicaEnv: (i): Record<string, string> =>
        i === 0
          ? { JWT_PREVIOUS_SECRETS: NEW_SECRET }
          : { JWT_SECRET: NEW_SECRET, JWT_PREVIOUS_SECRETS: TEST_JWT_SECRET, JWT_EXPIRES_IN: String(SHORT_TOKEN_SECONDS) },
    });
    [a, b] = cluster.replicas;
    ids = await demoIds(a.httpUrl);
  });
  afterAll(async () => {
    await cluster?.stop();
    await prisma?.$disconnect();
    await db?.drop();
  });

  const refresh = (replica: Replica, refreshToken: string) => api(replica.httpUrl, 'POST', '/auth/refresh', undefined, { refreshToken });
  const me = (replica: Replica, token: string) => api(replica.httpUrl, 'GET', '/auth/me', token);
  const refused = (code: string) => ({ status: 401, body: { statusCode: 401, code } });

  it('answers login with an access token, a refresh token, the type and the lifetime', async () => {
    const session = await loginSession(a.httpUrl, 'manager@demo.local');
    expect(session).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[\w-]{43,}$/),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    expect(decodeHeader(session.accessToken)).toEqual({ alg: 'HS256', typ: 'JWT', kid: jwtKeyId(TEST_JWT_SECRET) });
    const claims = decodeClaims(session.accessToken);
    expect(claims).toMatchObject({ iss: 'retail-realtime', aud: 'retail-realtime', sid: expect.any(String) });
    expect(claims.exp - claims.iat).toBe(900);
    expect(await me(a, session.accessToken)).toMatchObject({ status: 200, body: { email: 'manager@demo.local' } });
  });

  it('rotates the refresh token on every refresh; the old one presented again revokes the whole family', async () => {
    const first = await loginSession(a.httpUrl, 'manager@demo.local');
    const second = await refresh(b, first.refreshToken);
    expect(second).toMatchObject({ status: 200, body: { tokenType: 'Bearer', expiresIn: SHORT_TOKEN_SECONDS } });
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect(decodeClaims(second.body.accessToken).sid).toBe(decodeClaims(first.accessToken).sid);
    const third = await refresh(a, second.body.refreshToken);
    expect(third.status).toBe(200);
    expect(await me(b, third.body.accessToken)).toMatchObject({ status: 200 });

    expect(await refresh(a, first.refreshToken)).toMatchObject(refused('refresh_token_reused'));
    expect(await refresh(b, third.body.refreshToken)).toMatchObject(refused('refresh_token_revoked'));
  });

  it('lets exactly one of several parallel refreshes with the same token win; the others are reuse and end the session', async () => {
    const { refreshToken } = await loginSession(a.httpUrl, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => refresh(i % 2 ? b : a, refreshToken)));

    const won = answers.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    for (const lost of answers.filter((r) => r.status !== 200)) expect(lost).toMatchObject(refused('refresh_token_reused'));
    // The session keeps its device through the refresh.
    expect(decodeClaims(won[0].body.accessToken).deviceId).toBe(ids.centroDevice);
    // Revoking the family took in the winner's brand-new token too.
    expect(await refresh(a, won[0].body.refreshToken)).toMatchObject(refused('refresh_token_revoked'));
  });

  it('refuses an unknown and an expired refresh token with their own codes', async () => {
    expect(await refresh(a, 'x'.repeat(43))).toMatchObject(refused('refresh_token_invalid'));
    expect(await api(a.httpUrl, 'POST', '/auth/refresh', undefined, {})).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });

    const { refreshToken } = await loginSession(a.httpUrl, 'manager@demo.local');
    const tokenHash = createHash('sha256').update(refreshToken).digest('base64url');
    // Only the hash is stored: that is how the test finds its row.
    const aged = await prisma.refreshToken.updateMany({ where: { tokenHash }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(aged.count).toBe(1);
    expect(await refresh(b, refreshToken)).toMatchObject(refused('refresh_token_expired'));

    // The next session issued prunes expired rows.
    await login(a.httpUrl, 'manager@demo.local');
    await vi.waitFor(async () => expect(await prisma.refreshToken.count({ where: { tokenHash } })).toBe(0), { timeout: 10_000 });
  });

  it('ends the session on logout', async () => {
    const session = await loginSession(a.httpUrl, 'manager@demo.local');
    const next = await refresh(a, session.refreshToken);
    expect(await api(b.httpUrl, 'POST', '/auth/logout', undefined, { refreshToken: next.body.refreshToken })).toMatchObject({
      status: 204,
    });
    expect(await refresh(a, next.body.refreshToken)).toMatchObject(refused('refresh_token_revoked'));
    // Logging out what is already gone is fine.
    expect(await api(a.httpUrl, 'POST', '/auth/logout', undefined, { refreshToken: 'y'.repeat(43) })).toMatchObject({ status: 204 });
  });

  it('verifies tokens of the old key on the replica that signs with the new one, and its new-key tokens everywhere', async () => {
    const oldKey = await login(a.httpUrl, 'admin@demo.local');
    const newKey = await login(b.httpUrl, 'admin@demo.local');
    expect(decodeHeader(oldKey).kid).toBe(jwtKeyId(TEST_JWT_SECRET));
    expect(decodeHeader(newKey).kid).toBe(jwtKeyId(NEW_SECRET));
    for (const replica of [a, b]) {
      for (const token of [oldKey, newKey]) expect((await me(replica, token)).status).toBe(200);
    }
  });

  it('refuses a token of another issuer or audience, of an unknown key, or signed with another secret under a known kid', async () => {
    const claims = decodeClaims(await login(a.httpUrl, 'admin@demo.local'));
    const forged = [
      craftToken({ ...claims, iss: 'someone-else' }),
      craftToken({ ...claims, aud: 'another-service' }),
      craftToken(claims, { secret: UNKNOWN_SECRET }),
      craftToken(claims, { secret: UNKNOWN_SECRET, kid: jwtKeyId(TEST_JWT_SECRET) }),
      craftToken(claims, { kid: null }),
    ];
    expect(decodeHeader(forged[4]).kid).toBeUndefined();
    for (const replica of [a, b]) {
      for (const token of forged) expect(await me(replica, token)).toMatchObject(refused('token_invalid'));
    }
    // The same claims, honestly signed, pass: only what was changed is refused.
    expect((await me(b, craftToken(claims))).status).toBe(200);
  });

  it('extends a socket in band with auth.refresh: same user only, past the first token, until the new one expires', async () => {
    const session = await loginSession(b.httpUrl, 'manager@demo.local');
    const firstExp = decodeClaims(session.accessToken).exp;
    const stream = await connectStream(b.wsUrl, 'pos', session.accessToken);
    await stream.first(CONTROL_EVENTS.sessionReady.name);

    const cashier = await login(b.httpUrl, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    expect(await ack(stream.socket, COMMANDS.authRefresh.name, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'token_mismatch' },
    });
    expect(await ack(stream.socket, COMMANDS.authRefresh.name, { token: 'not-a-jwt' })).toMatchObject({
      ok: false,
      error: { code: 'token_invalid' },
    });

    await sleep(3_000); // so that the new token expires well after the first
    const renewed = await refresh(b, session.refreshToken);
    const newExp = decodeClaims(renewed.body.accessToken).exp;
    expect(newExp).toBeGreaterThan(firstExp);
    expect(await ack(stream.socket, COMMANDS.authRefresh.name, { token: renewed.body.accessToken })).toEqual({
      ok: true,
      expiresAt: newExp,
    });

    await sleep(Math.max(0, firstExp * 1000 + 1_500 - Date.now()));
    expect(stream.socket.connected).toBe(true);
    expect(stream.received.filter(([name]) => name === CONTROL_EVENTS.sessionEnded.name)).toEqual([]);

    // Not refreshed again: the new expiry ends it, as any expiry does.
    expect(await stream.first(CONTROL_EVENTS.sessionEnded.name, (SHORT_TOKEN_SECONDS + 5) * 1000)).toEqual({
      code: 'token_expired',
      message: expect.any(String),
    });
    expect(Date.now()).toBeGreaterThanOrEqual(newExp * 1000 - 1_000);
  });

  it('keeps a client-library dashboard on one socket across several token lifetimes, missing no event', async () => {
    let session: SessionTokens = await loginSession(b.httpUrl, 'manager@demo.local');
    const handedOut: string[] = [];
    // The first call is the handshake's; every later one is an in-band refresh, fed by the REST refresh.
    const getToken = async () => {
      if (handedOut.length) {
        const renewed = await refresh(b, session.refreshToken);
        if (renewed.status !== 200) throw new Error(`refresh: ${renewed.status} ${JSON.stringify(renewed.body)}`);
        session = renewed.body;
      }
      handedOut.push(session.accessToken);
      return session.accessToken;
    };
    const dashboard = openDashboard(b.wsUrl, 'pos', getToken);
    await dashboard.client.ready();

    const cashier = await login(a.httpUrl, 'cashier1@demo.local', { deviceId: ids.centroDevice });
    const water = (await productBySku(a.httpUrl, cashier, 'WATER-500')).id;
    const committed: string[] = [];
    // Before, during and after each refresh: a sale every ~400 ms for 2.5 lifetimes of B's tokens.
    const until = Date.now() + SHORT_TOKEN_SECONDS * 2_500;
    while (Date.now() < until) {
      const sale = await sell(a.httpUrl, cashier, [{ productId: water, quantity: 1 }]);
      expect(sale.status).toBe(201);
      committed.push(sale.body.id);
      await sleep(400);
    }
    const deadline = Date.now() + 20_000;
    while (committed.some((id) => !dashboard.sales().includes(id)) && Date.now() < deadline) await sleep(100);
    await dashboard.client.close();

    expect(dashboard.sales()).toEqual(committed);
    expect(consecutive(dashboard.offsets(Rooms.workspace(ids.centro)))).toBe(true);
    expect(handedOut.length).toBeGreaterThanOrEqual(3);
    // One session all along: the server never ended it and no refresh failed (a gap slow to fill on a
    // loaded machine is reported too, and is not what this test is about).
    expect(dashboard.errors.filter((error) => error.code !== 'gap_stalled')).toEqual([]);
  });
});
