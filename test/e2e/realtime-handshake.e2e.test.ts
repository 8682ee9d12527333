import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ack,
  api,
  connectSocket,
  login,
  createTestDatabase,
  type TestDatabase,
  demoIds,
  REDIS_TEST_URL,
  startCluster,
  type Cluster,
  describeWithServices,
  craftToken,
  connectStream,
  decodeClaims,
  expiredToken,
  sessionEnd,
} from '@retail/testing';

const claimsOf = (token: string) => decodeClaims(token) as { sub: string };

import { COMMANDS, CONTROL_EVENTS } from '@retail/realtime-protocol';

describeWithServices(['postgres', 'redis'], 'socket handshake and room permissions', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let url: string;
  let ids: Awaited<ReturnType<typeof demoIds>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 1, databaseUri: db.uri, redisUrl: REDIS_TEST_URL });
    url = cluster.replicas[0].wsUrl;
    ids = await demoIds(cluster.replicas[0].httpUrl);
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('connection was accepted');
      },
      (error: Error & { data?: { code: string } }) => ({ message: error.message, code: error.data?.code }),
    );

  it('refuses a missing token', async () => {
    expect(await refusal(connectSocket(url, 'pos', undefined))).toEqual({ message: 'unauthorized', code: 'token_missing' });
  });

  it('refuses garbage, a wrong secret and alg=none as token_invalid', async () => {
    const claims = decodeClaims(await login(cluster.replicas[0].httpUrl, 'admin@demo.local'));
    for (const token of [
      'not-a-jwt',
      craftToken(claims, { secret: 'another-secret-of-enough-length-000000' }),
      craftToken(claims, { alg: 'none' }),
    ]) {
      expect(await refusal(connectSocket(url, 'pos', token))).toEqual({ message: 'unauthorized', code: 'token_invalid' });
    }
  });

  it('refuses a token without exp as token_invalid', async () => {
    const { exp: _exp, ...claims } = decodeClaims(await login(cluster.replicas[0].httpUrl, 'admin@demo.local'));
    expect(await refusal(connectSocket(url, 'pos', craftToken(claims)))).toMatchObject({ code: 'token_invalid' });
  });

  it('refuses an expired token as token_expired', async () => {
    const expired = expiredToken(await login(cluster.replicas[0].httpUrl, 'admin@demo.local'));
    expect(await refusal(connectSocket(url, 'pos', expired))).toEqual({ message: 'unauthorized', code: 'token_expired' });
  });

  it('takes role, permissions and stores from the database, never from the token', async () => {
    const claims = decodeClaims(await login(cluster.replicas[0].httpUrl, 'staff@demo.local'));
    expect(Object.keys(claims).sort()).toEqual(['aud', 'companyId', 'exp', 'iat', 'iss', 'sid', 'sub', 'ver']);
    // A token that claims more than the user has gets only what the user has: STAFF has no /pos.
    const boasting = craftToken({ ...claims, role: 'ADMIN', permissions: ['pos:read'], workspaceIds: [ids.norte] });
    expect(await refusal(connectSocket(url, 'pos', boasting))).toMatchObject({ code: 'forbidden' });
    const me = await api(cluster.replicas[0].httpUrl, 'GET', '/auth/me', boasting);
    expect(me.body).toMatchObject({ role: 'STAFF', workspaceIds: [ids.centro] });
  });

  it('refuses a token of another access version, or of another company, as token_revoked', async () => {
    const claims = decodeClaims(await login(cluster.replicas[0].httpUrl, 'manager@demo.local'));
    for (const token of [craftToken({ ...claims, ver: claims.ver + 1 }), craftToken({ ...claims, companyId: ids.otherCompanyId })]) {
      expect(await refusal(connectSocket(url, 'pos', token))).toEqual({ message: 'unauthorized', code: 'token_revoked' });
    }
    const { ver: _ver, ...unversioned } = claims;
    expect(await refusal(connectSocket(url, 'pos', craftToken(unversioned)))).toMatchObject({ code: 'token_invalid' });
  });

  it('puts an ADMIN in the company room, not in every store: store rooms come through subscribe', async () => {
    const admin = await login(cluster.replicas[0].httpUrl, 'admin@demo.local');
    const socket = await connectStream(url, 'pos', admin);
    const ready = await socket.first(CONTROL_EVENTS.sessionReady.name);
    expect(Object.keys(ready.rooms).sort()).toEqual(
      [`company:${ids.companyId}`, `catalog:${ids.companyId}`, `user:${claimsOf(admin).sub}`].sort(),
    );
    socket.socket.close();
    const cashier = await connectStream(url, 'pos', await login(cluster.replicas[0].httpUrl, 'cashier1@demo.local'));
    expect(Object.keys((await cashier.first(CONTROL_EVENTS.sessionReady.name)).rooms)).toContain(`workspace:${ids.centro}`);
    cashier.socket.close();
  });

  it('refuses a namespace the role has no permission for (STAFF on /pos)', async () => {
    const staff = await login(cluster.replicas[0].httpUrl, 'staff@demo.local');
    expect(await refusal(connectSocket(url, 'pos', staff))).toEqual({ message: 'unauthorized', code: 'forbidden' });
    const inventory = await connectSocket(url, 'inventory', staff);
    expect(inventory.connected).toBe(true);
    inventory.close();
  });

  it('accepts the token as an Authorization: Bearer header', async () => {
    const token = await login(cluster.replicas[0].httpUrl, 'manager@demo.local');
    const socket = await connectSocket(url, 'pos', undefined, { extraHeaders: { authorization: `Bearer ${token}` } });
    expect(socket.connected).toBe(true);
    socket.close();
  });

  it('lets a cashier subscribe to their own store only', async () => {
    const socket = await connectSocket(url, 'pos', await login(cluster.replicas[0].httpUrl, 'cashier1@demo.local'));
    expect(await ack(socket, COMMANDS.subscribe.name, { room: `workspace:${ids.centro}` })).toEqual({
      ok: true,
      room: `workspace:${ids.centro}`,
      position: { offset: expect.stringMatching(/^\d+$/), epoch: expect.any(String) },
    });
    for (const room of [
      `workspace:${ids.norte}`,
      `workspace:${ids.sur}`,
      `company:${ids.companyId}`,
      `pos:${ids.norteDevice}`,
      'lobby',
      `workspace:${ids.centro}:x`,
    ]) {
      expect(await ack(socket, COMMANDS.subscribe.name, { room })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await ack(socket, COMMANDS.unsubscribe.name, { room: `workspace:${ids.centro}` })).toEqual({
      ok: true,
      room: `workspace:${ids.centro}`,
    });
    socket.close();
  });

  it('lets an ADMIN join any store of their company, never another company', async () => {
    const socket = await connectSocket(url, 'inventory', await login(cluster.replicas[0].httpUrl, 'admin@demo.local'));
    expect(await ack(socket, COMMANDS.subscribe.name, { room: `workspace:${ids.norte}` })).toMatchObject({ ok: true });
    expect(await ack(socket, COMMANDS.subscribe.name, { room: `pos:${ids.norteDevice}` })).toMatchObject({ ok: true });
    expect(await ack(socket, COMMANDS.subscribe.name, { room: `workspace:${ids.sur}` })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await ack(socket, COMMANDS.subscribe.name, { room: `company:${ids.otherCompanyId}` })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    socket.close();
  });

  it('answers a malformed command with validation_failed and keeps the socket', async () => {
    const socket = await connectSocket(url, 'pos', await login(cluster.replicas[0].httpUrl, 'manager@demo.local'));
    const reply = await ack(socket, COMMANDS.subscribe.name, { room: 42 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [{ path: 'room' }] } });
    expect(await ack(socket, COMMANDS.subscribe.name, { room: `workspace:${ids.norte}` })).toMatchObject({ ok: true });
    socket.close();
  });

  it('rate-limits a socket that sends too fast', async () => {
    const socket = await connectSocket(url, 'pos', await login(cluster.replicas[0].httpUrl, 'manager@demo.local'));
    const replies = await Promise.all(
      Array.from({ length: 60 }, () => ack(socket, COMMANDS.subscribe.name, { room: `workspace:${ids.centro}` })),
    );
    expect(replies.filter((r) => r.ok).length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.error?.code === 'rate_limited').length).toBeGreaterThan(0);
    socket.close();
  });

  it('drops a connection that sends an oversized payload', async () => {
    const socket = await connectSocket(url, 'pos', await login(cluster.replicas[0].httpUrl, 'manager@demo.local'));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit(COMMANDS.subscribe.name, { room: 'x'.repeat(200_000) });
    expect(await closed).toBe('transport close');
  });

  it('disconnects a socket when its token expires', async () => {
    const claims = decodeClaims(await login(cluster.replicas[0].httpUrl, 'manager@demo.local'));
    const shortLived = craftToken({ ...claims, exp: Math.floor(Date.now() / 1000) + 2 });
    const socket = await connectSocket(url, 'pos', shortLived);
    expect(await sessionEnd(socket)).toEqual({
      ended: { code: 'token_expired', message: expect.any(String) },
      reason: 'io server disconnect',
    });
  });

  it('answers HTTP errors with {statusCode, code, message}', async () => {
    const base = cluster.replicas[0].httpUrl;
    expect(await api(base, 'GET', '/auth/me')).toMatchObject({ status: 401, body: { statusCode: 401, code: 'token_missing' } });
    expect(await api(base, 'POST', '/auth/login', undefined, { email: 'nope' })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    const staff = await login(base, 'staff@demo.local');
    expect(await api(base, 'GET', `/workspaces/${ids.norte}/devices`, staff)).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });

  it('exposes sockets, events, refusals and HTTP latency as Prometheus metrics', async () => {
    const socket = await connectSocket(url, 'notifications', await login(cluster.replicas[0].httpUrl, 'manager@demo.local'));
    const response = await fetch(`${cluster.replicas[0].httpUrl}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/realtime_sockets_connected\{namespace="\/notifications"\} [1-9]/);
    expect(text).toMatch(/realtime_handshake_refusals_total\{namespace="\/pos",code="token_missing"\} [1-9]/);
    expect(text).toMatch(/realtime_handshake_refusals_total\{namespace="\/pos",code="forbidden"\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/auth\/login",status="200"\} [1-9]/);
    expect(text).toContain('realtime_events_emitted_total');
    socket.close();
  });
});
