import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  api,
  createTestDatabase,
  createUser,
  demoIds,
  describeWithServices,
  login,
  startCluster,
  type Cluster,
  type TestDatabase,
} from '@retail/testing';

// One replica without Redis: access changes are delivered locally (single-node mode).
describeWithServices(['postgres'], 'user and device management (ADMIN only, within the company)', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let base: string;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let admin: string;
  let otherAdmin: string;
  let manager: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 1, databaseUri: db.uri });
    base = cluster.replicas[0].httpUrl;
    ids = await demoIds(base);
    [admin, otherAdmin, manager] = await Promise.all(
      ['admin@demo.local', 'admin@other.local', 'manager@demo.local'].map((email) => login(base, email)),
    );
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  it("lists the company's users, newest first, paged, without password hashes", async () => {
    const first = await api(base, 'GET', '/users?limit=2', admin);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await api(base, 'GET', `/users?limit=100&cursor=${first.body.nextCursor}`, admin);
    const emails = [...first.body.items, ...rest.body.items].map((u: { email: string }) => u.email);
    expect(emails).toEqual(expect.arrayContaining(['admin@demo.local', 'manager@demo.local', 'cashier1@demo.local']));
    expect(emails).not.toContain('admin@other.local');
    expect(new Set(emails).size).toBe(emails.length);
    expect(first.body.items[0]).not.toHaveProperty('passwordHash');
    const marta = rest.body.items.concat(first.body.items).find((u: { email: string }) => u.email === 'manager@demo.local');
    expect(marta).toMatchObject({ role: 'MANAGER', disabled: false, workspaceIds: expect.arrayContaining([ids.centro, ids.norte]) });
  });

  it('creates a user who can log in and learns their role and stores from /auth/me', async () => {
    const { status, body } = await api(base, 'POST', '/users', admin, {
      email: 'New.Cashier@Demo.Local',
      name: 'Nina New',
      role: 'CASHIER',
      password: 'correct horse battery',
      workspaceIds: [ids.norte, ids.norte],
    });
    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.any(String),
      email: 'new.cashier@demo.local',
      name: 'Nina New',
      role: 'CASHIER',
      disabled: false,
      workspaceIds: [ids.norte],
      createdAt: expect.any(String),
    });
    const token = await login(base, 'new.cashier@demo.local', { password: 'correct horse battery' });
    expect((await api(base, 'GET', '/auth/me', token)).body).toMatchObject({
      id: body.id,
      role: 'CASHIER',
      companyId: ids.companyId,
      workspaceIds: [ids.norte],
      permissions: expect.arrayContaining(['pos:sell']),
    });
  });

  it('changes a role and stores, and disables and enables a user', async () => {
    const user = await createUser(base, admin, { role: 'STAFF', workspaceIds: [ids.centro] });
    const changed = await api(base, 'PATCH', `/users/${user.id}`, admin, { role: 'CASHIER', workspaceIds: [ids.norte] });
    expect(changed).toMatchObject({ status: 200, body: { role: 'CASHIER', workspaceIds: [ids.norte] } });
    expect((await api(base, 'PATCH', `/users/${user.id}`, admin, { disabled: true })).body.disabled).toBe(true);
    const refused = await api(base, 'POST', '/auth/login', undefined, { email: user.email, password: user.password });
    expect(refused).toMatchObject({ status: 403, body: { code: 'account_disabled' } });
    expect((await api(base, 'PATCH', `/users/${user.id}`, admin, { disabled: false })).body.disabled).toBe(false);
    expect((await api(base, 'GET', '/auth/me', await login(base, user.email, { password: user.password }))).body.role).toBe('CASHIER');
  });

  it('answers 400 for invalid bodies and ids', async () => {
    const valid = { email: 'x@demo.local', name: 'X', role: 'CASHIER', password: 'long enough', workspaceIds: [] };
    for (const body of [
      { ...valid, email: 'not-an-email' },
      { ...valid, password: 'short' },
      { ...valid, role: 'OWNER' },
      { ...valid, workspaceIds: ['nope'] },
      { ...valid, name: undefined },
    ]) {
      expect(await api(base, 'POST', '/users', admin, body)).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    }
    const [{ id }] = (await api(base, 'GET', '/users?limit=1', admin)).body.items;
    expect((await api(base, 'PATCH', `/users/${id}`, admin, {})).status).toBe(400);
    expect((await api(base, 'PATCH', `/users/${id}`, admin, { role: 'OWNER' })).status).toBe(400);
    expect((await api(base, 'PATCH', '/users/not-a-uuid', admin, { disabled: true })).status).toBe(400);
    expect((await api(base, 'GET', '/users?limit=0', admin)).status).toBe(400);
    expect((await api(base, 'POST', `/workspaces/${ids.centro}/devices`, admin, { name: '' })).status).toBe(400);
    expect((await api(base, 'PATCH', `/devices/${ids.centroDevice}`, admin, {})).status).toBe(400);
    expect((await api(base, 'PATCH', `/devices/${ids.centroDevice}`, admin, { workspaceId: 'x' })).status).toBe(400);
  });

  it('answers 409 for a taken email or a device name taken in the same store, not in another', async () => {
    const taken = { email: 'cashier1@demo.local', name: 'Again', role: 'CASHIER', password: 'long enough', workspaceIds: [] };
    expect(await api(base, 'POST', '/users', admin, taken)).toMatchObject({ status: 409, body: { code: 'email_taken' } });

    const name = `Till ${Date.now()}`;
    const centroTill = await api(base, 'POST', `/workspaces/${ids.centro}/devices`, admin, { name });
    expect(centroTill).toMatchObject({ status: 201, body: { name, workspaceId: ids.centro, retired: false } });
    const again = await api(base, 'POST', `/workspaces/${ids.centro}/devices`, admin, { name });
    expect(again).toMatchObject({ status: 409, body: { code: 'device_name_taken' } });
    const norteTill = await api(base, 'POST', `/workspaces/${ids.norte}/devices`, admin, { name });
    expect(norteTill.status).toBe(201);
    const moved = await api(base, 'PATCH', `/devices/${norteTill.body.id}`, admin, { workspaceId: ids.centro });
    expect(moved).toMatchObject({ status: 409, body: { code: 'device_name_taken' } });
    expect((await api(base, 'GET', `/workspaces/${ids.centro}/devices`, admin)).body.map((d: { name: string }) => d.name)).toContain(name);
  });

  it('answers 403 to anyone but an ADMIN', async () => {
    const cashier = await login(base, 'cashier1@demo.local');
    for (const token of [manager, cashier]) {
      expect(await api(base, 'GET', '/users', token)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
      const body = { email: 'y@demo.local', name: 'Y', role: 'ADMIN', password: 'long enough', workspaceIds: [] };
      expect((await api(base, 'POST', '/users', token, body)).status).toBe(403);
      const [{ id }] = (await api(base, 'GET', '/users?limit=1', admin)).body.items;
      expect((await api(base, 'PATCH', `/users/${id}`, token, { role: 'ADMIN' })).status).toBe(403);
      expect((await api(base, 'POST', `/workspaces/${ids.centro}/devices`, token, { name: 'Mine' })).status).toBe(403);
      expect((await api(base, 'PATCH', `/devices/${ids.centroDevice}`, token, { retired: true })).status).toBe(403);
    }
  });

  it("answers 404 for another company's users, stores and devices", async () => {
    const [{ id: demoUser }] = (await api(base, 'GET', '/users?limit=1', admin)).body.items;
    expect(await api(base, 'PATCH', `/users/${demoUser}`, otherAdmin, { disabled: true })).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    });
    const body = { email: 'z@other.local', name: 'Z', role: 'CASHIER', password: 'long enough', workspaceIds: [ids.centro] };
    expect((await api(base, 'POST', '/users', otherAdmin, body)).status).toBe(404);
    expect((await api(base, 'PATCH', `/users/${demoUser}`, admin, { workspaceIds: [ids.sur] })).status).toBe(404);
    expect((await api(base, 'POST', `/workspaces/${ids.centro}/devices`, otherAdmin, { name: 'Theirs' })).status).toBe(404);
    expect((await api(base, 'PATCH', `/devices/${ids.centroDevice}`, otherAdmin, { retired: true })).status).toBe(404);
    expect((await api(base, 'PATCH', `/devices/${ids.centroDevice}`, admin, { workspaceId: ids.sur })).status).toBe(404);
    const stillThere = (await api(base, 'GET', `/workspaces/${ids.centro}/devices`, admin)).body;
    expect(stillThere.find((d: { id: string }) => d.id === ids.centroDevice)).toMatchObject({ retired: false, workspaceId: ids.centro });
  });

  it('refuses to let an ADMIN disable or demote themselves', async () => {
    const me = (await api(base, 'GET', '/auth/me', admin)).body;
    expect(await api(base, 'PATCH', `/users/${me.id}`, admin, { disabled: true })).toMatchObject({
      status: 422,
      body: { code: 'own_access' },
    });
    expect((await api(base, 'PATCH', `/users/${me.id}`, admin, { role: 'MANAGER' })).status).toBe(422);
    expect((await api(base, 'GET', '/auth/me', admin)).status).toBe(200);
  });
});
