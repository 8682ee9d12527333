import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsFor, type Permission } from '@retail/auth';
import { deviceKeyHash } from '@retail/database';
import { COMMANDS, CONTROL_EVENTS, NAMESPACES, Rooms, type NamespaceKey } from '@retail/realtime-protocol';
import {
  api,
  connectPrisma,
  connectSocket,
  connectStream,
  createTestDatabase,
  decodeClaims,
  demoIds,
  describeWithServices,
  expiredToken,
  login,
  productBySku,
  QUIET_MS,
  sell,
  sleep,
  startCluster,
  TEST_DEVICE_KEY,
  type Cluster,
  type StreamSocket,
  type TestDatabase,
} from '@retail/testing';

/**
 * The access matrix: every route of the replica's own OpenAPI document, and every socket command
 * of the catalog, tried by every attacker below. A refused answer is 401, 403 or 404 with nothing
 * but the error shape, and no answer carries an id or name of the store or company attacked that
 * the request did not itself send. The routes come from the document, so a new route is in the
 * matrix by itself; one the matrix cannot aim (an unknown path parameter, a body it has no
 * template for) fails it until it is taught how.
 */

/** The routes anyone may call; the document must mark exactly these as needing no token. */
const PUBLIC_ROUTES = ['POST /auth/login', 'POST /auth/refresh', 'POST /auth/logout', 'GET /health/live', 'GET /health/ready'];

/**
 * Routes that end the caller's own sessions when they succeed: each attacker tries them after
 * every other route, then its users log in again (the attack is on the target, not on itself).
 */
const SESSION_ENDING_ROUTES = ['POST /auth/logout-all'];

/** What the matrix fills in a request. One of each exists in every target (below). */
type FixtureKey =
  | 'company'
  | 'workspace'
  | 'device'
  | 'product'
  | 'cart'
  | 'sale'
  | 'cashSession'
  | 'count'
  | 'movement'
  | 'notification'
  | 'chatRoom'
  | 'user';
type Fixtures = Record<FixtureKey, string>;

/** A path parameter names the resource of the segment before it: `/pos/carts/{id}` is a cart. */
const PATH_FIXTURES: Record<string, FixtureKey> = {
  workspaces: 'workspace',
  devices: 'device',
  products: 'product',
  carts: 'cart',
  sales: 'sale',
  'cash-sessions': 'cashSession',
  counts: 'count',
  movements: 'movement',
  notifications: 'notification',
  rooms: 'chatRoom',
  users: 'user',
};

/** Query parameters that take an id; every other parameter is left out (it must then be optional). */
const QUERY_FIXTURES: Record<string, FixtureKey> = { workspaceId: 'workspace', productId: 'product', countId: 'count', deviceId: 'device' };

/** A valid body for every route that takes one, aimed at the target's ids. */
const BODIES: Record<string, (f: Fixtures) => unknown> = {
  // A wrong current password: the matrix never changes one.
  'POST /auth/password': () => ({ currentPassword: 'not-the-password', newPassword: 'matrix-probe-password' }),
  'POST /workspaces': () => ({ name: `MATRIX-${Math.random().toString(36).slice(2, 10)}`, timeZone: 'UTC' }),
  'PATCH /workspaces/{id}': () => ({ timeZone: 'UTC' }),
  'POST /inventory/products': () => ({ sku: `MATRIX-${Math.random().toString(36).slice(2, 10)}`, name: 'Matrix probe', price: 1 }),
  'PATCH /inventory/products/{id}': () => ({ price: 1 }),
  'PATCH /inventory/stock': (f) => ({ workspaceId: f.workspace, productId: f.product, minQuantity: 1 }),
  'POST /inventory/movements': (f) => ({ type: 'IN', workspaceId: f.workspace, productId: f.product, quantity: 1 }),
  'PATCH /inventory/movements/{id}': () => ({ status: 'RECEIVED' }),
  'POST /inventory/counts': (f) => ({ workspaceId: f.workspace, productIds: [f.product] }),
  'PUT /inventory/counts/{id}/lines': (f) => ({ lines: [{ productId: f.product, countedQuantity: 1 }] }),
  'POST /notifications': (f) => ({ title: 'Matrix probe', message: 'probe', scope: { type: 'workspace', workspaceId: f.workspace } }),
  'POST /notifications/{id}/ack': () => ({ note: 'matrix probe' }),
  'POST /notifications/{id}/resolve': () => ({ note: 'matrix probe' }),
  'POST /pos/carts': (f) => ({ deviceId: f.device }),
  'PATCH /pos/carts/{id}': (f) => ({ items: [{ productId: f.product, quantity: 1 }] }),
  'POST /pos/carts/{id}/payments': () => ({ method: 'CARD', amount: 1 }),
  'POST /pos/sales': (f) => tillSale(f),
  'POST /pos/sales/sync': (f) => ({ sales: [tillSale(f)] }),
  'POST /pos/sales/{id}/returns': (f) => ({
    id: randomUUID(),
    lines: [{ productId: f.product, quantity: 1 }],
    refunds: [],
    reason: 'matrix',
  }),
  'POST /pos/cash-sessions': (f) => ({ deviceId: f.device, openingFloat: 0, cashLimit: 1000 }),
  'POST /pos/cash-sessions/{id}/close': () => ({}),
  'POST /chat/rooms': (f) => ({ type: 'DIRECT', memberIds: [f.user] }),
  'POST /chat/rooms/{id}/messages': () => ({ body: 'probe', clientMessageId: `matrix-${Math.random()}` }),
  'POST /users': (f) => ({
    email: `matrix-${Math.random().toString(36).slice(2, 10)}@demo.local`,
    name: 'Matrix probe',
    role: 'CASHIER',
    password: 'matrix-probe-password',
    workspaceIds: [f.workspace],
  }),
  'PATCH /users/{id}': () => ({ role: 'STAFF' }),
  'POST /workspaces/{id}/devices': () => ({ name: `MATRIX-${Math.random().toString(36).slice(2, 10)}` }),
  'PATCH /devices/{id}': () => ({ retired: true }),
};

/** A sale a till made, of the target's product. */
const tillSale = (f: Fixtures) => ({
  id: randomUUID(),
  occurredAt: new Date().toISOString(),
  lines: [{ productId: f.product, quantity: 1, unitPrice: 1 }],
  payments: [{ method: 'CARD', amount: 1 }],
});

/** What is attacked: ids to aim requests with, and what must never come back unless it was sent. */
interface Target {
  fixtures: Fixtures;
  /** Ids (compared in lower case) and names (case-sensitive) that belong to the target only. */
  secrets: string[];
  /** Socket rooms of the target. */
  rooms: string[];
  /** An access token of one of the target's users: what `auth.refresh` must never swap a socket to. */
  token: string;
}

interface Context {
  tokens: { admin: string; cashier: string; managerOfCentro: string; staff: string; revoked: string };
  /** Logs the attackers' users in again, after a session-ending route ended their sessions. */
  relogin(): Promise<void>;
  /** The demo user of each role below ADMIN, in Centro (the attackers' own store). */
  byRole: Record<'MANAGER' | 'STAFF' | 'CASHIER', string>;
  own: Target;
  otherCompany: Target;
  otherStore: Target;
}

interface Route {
  key: string;
  method: string;
  path: string;
  permissions: Permission[];
  operation: OpenApiOperation;
}

/**
 * One attacker: who calls (a token, or none) against which target, and what a refusal must be.
 * `unaimed: 'leak-check'` means a route that cannot name the target (it acts on the caller's own
 * scope, e.g. a listing) may answer, as long as it leaks nothing of the target.
 */
interface Attacker {
  name: string;
  call: (route: Route, ctx: Context) => { token?: string; target: Target } | null;
  statuses: number[];
  unaimed: 'refuse' | 'leak-check';
}

const ROLES_BELOW_ADMIN = ['MANAGER', 'STAFF', 'CASHIER'] as const;
const roleLacking = (permissions: Permission[]) =>
  ROLES_BELOW_ADMIN.find((role) => permissions.some((p) => !permissionsFor(role).includes(p)));

const ATTACKERS: Attacker[] = [
  { name: 'no token', call: (_, ctx) => ({ target: ctx.own }), statuses: [401], unaimed: 'refuse' },
  {
    name: 'an expired token',
    call: (_, ctx) => ({ token: expiredToken(ctx.tokens.admin), target: ctx.own }),
    statuses: [401],
    unaimed: 'refuse',
  },
  {
    name: "another company's ids (Demo Retail's ADMIN against Other Chain)",
    call: (_, ctx) => ({ token: ctx.tokens.admin, target: ctx.otherCompany }),
    statuses: [403, 404],
    unaimed: 'leak-check',
  },
  {
    name: "another store's ids (Centro's CASHIER against Norte)",
    call: (_, ctx) => ({ token: ctx.tokens.cashier, target: ctx.otherStore }),
    statuses: [403, 404],
    unaimed: 'leak-check',
  },
  {
    name: "another store's ids (a MANAGER of Centro only against Norte)",
    call: (_, ctx) => ({ token: ctx.tokens.managerOfCentro, target: ctx.otherStore }),
    statuses: [403, 404],
    unaimed: 'leak-check',
  },
  {
    name: 'a role without the permission',
    call: (route, ctx) => {
      const role = roleLacking(route.permissions);
      return role ? { token: ctx.byRole[role], target: ctx.own } : null;
    },
    statuses: [403],
    unaimed: 'refuse',
  },
  {
    name: 'a revoked token (its user disabled)',
    call: (_, ctx) => ({ token: ctx.tokens.revoked, target: ctx.own }),
    statuses: [401],
    unaimed: 'refuse',
  },
];

interface OpenApiOperation {
  security?: unknown[];
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: unknown;
  'x-permissions'?: Permission[];
}
type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>> };

const ERROR_KEYS = ['statusCode', 'code', 'message', 'details'];

describeWithServices(['postgres'], 'access matrix: every route and socket command against every attacker', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  let base: string, ws: string;
  let document: OpenApiDocument;
  let ctx: Context;
  const sockets: StreamSocket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster({ replicas: 1, databaseUri: db.uri });
    [base, ws] = [cluster.replicas[0].httpUrl, cluster.replicas[0].wsUrl];
    document = (await api(base, 'GET', '/docs-json')).body;
    ctx = await prepareTargets(base, db.uri);
  }, 120_000);
  afterAll(async () => {
    sockets.forEach((s) => s.socket.close());
    await cluster?.stop();
    await db?.drop();
  });

  const routes = () =>
    Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        permissions: operation['x-permissions'] ?? [],
        operation,
      })),
    );
  const guarded = () => routes().filter((r) => !PUBLIC_ROUTES.includes(r.key));

  it('knows how to aim every route of the document, and treats only the listed ones as public', () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(PUBLIC_ROUTES.length);
    expect(all.filter((r) => !r.operation.security?.length).map((r) => r.key)).toEqual(expect.arrayContaining(PUBLIC_ROUTES));
    expect(all.filter((r) => !r.operation.security?.length).map((r) => r.key)).toHaveLength(PUBLIC_ROUTES.length);
    const unaimable = guarded().flatMap((route) => unaimableParts(route));
    expect(unaimable).toEqual([]);
    expect(Object.keys(BODIES).filter((key) => !all.some((r) => r.key === key))).toEqual([]); // no template for a route that is gone
    expect(guarded().length + PUBLIC_ROUTES.length).toBe(all.length);
  });

  describe.each(ATTACKERS)('$name', (attacker) => {
    it('is refused on every route, and nothing of the target comes back', async () => {
      const problems: string[] = [];
      let tried = 0;
      let notApplicable = 0;
      const endsSessions = (route: Route) => SESSION_ENDING_ROUTES.includes(route.key);
      const lastTheSessionEnding = [...guarded().filter((r) => !endsSessions(r)), ...guarded().filter(endsSessions)];
      for (const route of lastTheSessionEnding) {
        const call = attacker.call(route, ctx);
        if (!call) {
          notApplicable++;
          continue;
        }
        tried++;
        const request = aim(route, call.target.fixtures);
        const response = await api(base, route.method, request.url, call.token, request.body);
        const sent = JSON.stringify(request).toLowerCase();
        const aimed = call.target.secrets.some((secret) => sent.includes(secret.toLowerCase()));
        const where = `${route.key} → ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`;
        const leaked = leaks(call.target, sent, JSON.stringify(response.body ?? ''));
        if (leaked.length) problems.push(`${where}: leaks ${leaked.join(', ')}`);
        if (aimed || attacker.unaimed === 'refuse') {
          if (!attacker.statuses.includes(response.status)) problems.push(`${where}: expected ${attacker.statuses.join(' or ')}`);
          else if (!isErrorBody(response.body, response.status)) problems.push(`${where}: not only the error shape`);
        }
      }
      await ctx.relogin();
      expect(problems).toEqual([]);
      expect(tried + notApplicable).toBe(guarded().length);
      expect(tried).toBeGreaterThan(0);
    });
  });

  /** Socket attackers: each aims every command of the catalog at the target's rooms and chat room. */
  const SOCKET_ATTACKERS: Array<{ name: string; token: (ctx: Context) => string; target: (ctx: Context) => Target }> = [
    {
      name: "another company's rooms (Demo Retail's ADMIN against Other Chain)",
      token: (c) => c.tokens.admin,
      target: (c) => c.otherCompany,
    },
    { name: "another store's rooms (Centro's CASHIER against Norte)", token: (c) => c.tokens.cashier, target: (c) => c.otherStore },
    {
      name: "another store's rooms (a MANAGER of Centro only against Norte)",
      token: (c) => c.tokens.managerOfCentro,
      target: (c) => c.otherStore,
    },
  ];

  it.each(SOCKET_ATTACKERS)('refuses every socket command aimed at $name', async ({ token, target: targetOf }) => {
    const target = targetOf(ctx);
    const chatRoomId = target.fixtures.chatRoom;
    const problems: string[] = [];
    const commands = Object.values(COMMANDS);
    const namespaces = [...new Set(commands.flatMap((c) => c.namespaces))] as NamespaceKey[];
    const mine: StreamSocket[] = [];
    for (const namespace of namespaces) {
      const stream = await connectStream(ws, namespace, token(ctx));
      sockets.push(stream);
      mine.push(stream);
      const send = (name: string, payload: unknown) => stream.socket.timeout(10_000).emitWithAck(name, payload);
      for (const command of commands.filter((c) => (c.namespaces as readonly string[]).includes(namespace))) {
        const where = `${namespace} ${command.name}`;
        const refusal = (payload: unknown, ack: any) => {
          if (!isRefusalAck(ack))
            problems.push(`${where} ${JSON.stringify(payload)} → ${JSON.stringify(ack)}: expected forbidden or not_found`);
        };
        switch (command.name) {
          case COMMANDS.subscribe.name:
            for (const room of target.rooms) refusal({ room }, await send(command.name, { room }));
            break;
          case COMMANDS.unsubscribe.name:
            // Leaving a room one is not in changes nothing: it is acked with the room asked for, and only that.
            for (const room of target.rooms) {
              const ack = await send(command.name, { room });
              if (JSON.stringify(ack) !== JSON.stringify({ ok: true, room })) problems.push(`${where} ${room} → ${JSON.stringify(ack)}`);
            }
            break;
          case COMMANDS.resume.name: {
            // Resuming is answered per room in resume.ok: each of the target's rooms refused, none replayed.
            const rooms = Object.fromEntries(target.rooms.map((room) => [room, { offset: '0', epoch: 'matrix' }]));
            const before = stream.received.length;
            const ack = await send(command.name, { rooms });
            if (JSON.stringify(ack) !== JSON.stringify({ ok: true })) problems.push(`${where} → ${JSON.stringify(ack)}`);
            const ok = await waitFor(stream, CONTROL_EVENTS.resumeOk.name, before);
            const refused = Object.fromEntries(target.rooms.map((room) => [room, 'forbidden']));
            if (JSON.stringify(ok?.refused) !== JSON.stringify(refused) || target.rooms.some((room) => room in (ok?.rooms ?? {}))) {
              problems.push(`${where} → resume.ok ${JSON.stringify(ok)}: expected every room refused`);
            }
            break;
          }
          case COMMANDS.chatJoin.name:
          case COMMANDS.chatHistory.name:
            refusal({ roomId: chatRoomId }, await send(command.name, { roomId: chatRoomId }));
            break;
          case COMMANDS.chatTyping.name:
            refusal({ roomId: chatRoomId }, await send(command.name, { roomId: chatRoomId, isTyping: true }));
            break;
          case COMMANDS.chatMessage.name:
            refusal({ roomId: chatRoomId }, await send(command.name, { roomId: chatRoomId, body: 'probe', clientMessageId: 'matrix' }));
            break;
          case COMMANDS.posDeviceReport.name: {
            // A report is about the socket's own till only: naming the target's device is ignored, never applied to it.
            const ack = await send(command.name, { deviceId: target.fixtures.device, pendingSales: 1 });
            if (ack?.ok !== true && ack?.error?.code !== 'device_required') problems.push(`${where} → ${JSON.stringify(ack)}`);
            break;
          }
          case COMMANDS.authRefresh.name: {
            // Another user's valid token must not take this socket over.
            const ack = await send(command.name, { token: target.token });
            if (ack?.ok !== false || ack.error?.code !== 'token_mismatch')
              problems.push(`${where} → ${JSON.stringify(ack)}: expected token_mismatch`);
            break;
          }
          default:
            problems.push(`${where}: the matrix has no payload for this command`);
        }
      }
    }
    await sleep(QUIET_MS);
    for (const [i, stream] of mine.entries()) {
      const received = stream.received.filter(
        ([name]) => name !== CONTROL_EVENTS.resumeOk.name && name !== CONTROL_EVENTS.sessionReady.name,
      );
      const leaked = leaks(target, '', JSON.stringify(received));
      if (leaked.length) problems.push(`/${namespaces[i]} received ${leaked.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses a socket with no token, an expired token, or a role without the namespace permission', async () => {
    const refusal = (token: string | undefined, namespace: NamespaceKey) =>
      connectSocket(ws, namespace, token).then(
        (socket) => (socket.close(), 'connected'),
        (error: Error & { data?: { code: string } }) => error.data?.code,
      );
    for (const namespace of Object.keys(NAMESPACES) as NamespaceKey[]) {
      expect(await refusal(undefined, namespace)).toBe('token_missing');
      expect(await refusal(expiredToken(ctx.tokens.admin), namespace)).toBe('token_expired');
      expect(await refusal(ctx.tokens.revoked, namespace)).toBe('token_revoked');
      const role = roleLacking([NAMESPACES[namespace].permission]);
      if (role) expect(await refusal(ctx.byRole[role], namespace)).toBe('forbidden');
    }
  });
});

/** Parts of a route the matrix cannot fill: each one is a fixture or a body template to add. */
function unaimableParts(route: Route): string[] {
  const parameters = route.operation.parameters ?? [];
  const problems = parameters.flatMap((p) => {
    if (p.in === 'path' && !fixtureOfPath(route.path, p.name)) return [`${route.key}: no fixture for path parameter ${p.name}`];
    if (p.in === 'query' && !QUERY_FIXTURES[p.name] && (p.required || /Id$/.test(p.name))) {
      return [`${route.key}: no fixture for query parameter ${p.name}`];
    }
    return [];
  });
  if (route.operation.requestBody && !BODIES[route.key]) problems.push(`${route.key}: no body template`);
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) problems.push(`${route.key}: unknown method`);
  return problems;
}

function fixtureOfPath(path: string, parameter: string): FixtureKey | undefined {
  const segments = path.split('/');
  const at = segments.indexOf(`{${parameter}}`);
  return at > 0 ? PATH_FIXTURES[segments[at - 1]] : undefined;
}

/** The request of one case: the route with the target's ids in its path, query and body. */
function aim(route: Route, fixtures: Fixtures): { url: string; body?: unknown } {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => fixtures[fixtureOfPath(route.path, name)!]);
  const query = new URLSearchParams();
  for (const p of route.operation.parameters ?? []) {
    if (p.in === 'query' && QUERY_FIXTURES[p.name]) query.set(p.name, fixtures[QUERY_FIXTURES[p.name]]);
  }
  const url = query.size ? `${path}?${query}` : path;
  return { url, body: BODIES[route.key]?.(fixtures) };
}

/** The target's ids and names found in an answer, other than those the request sent. */
function leaks(target: Target, sentLowerCase: string, answer: string): string[] {
  return target.secrets.filter((secret) => {
    const isId = /^[0-9a-f-]{36}$/i.test(secret);
    const found = isId ? answer.toLowerCase().includes(secret.toLowerCase()) : answer.includes(secret);
    return found && !sentLowerCase.includes(secret.toLowerCase());
  });
}

function isErrorBody(body: any, status: number): boolean {
  return (
    body !== null &&
    typeof body === 'object' &&
    Object.keys(body).every((k) => ERROR_KEYS.includes(k)) &&
    body.statusCode === status &&
    typeof body.code === 'string'
  );
}

function isRefusalAck(ack: any): boolean {
  return (
    ack?.ok === false &&
    Object.keys(ack).length === 2 &&
    ['forbidden', 'not_found'].includes(ack.error?.code) &&
    Object.keys(ack.error).every((k) => ['code', 'message', 'details'].includes(k))
  );
}

async function waitFor(stream: StreamSocket, event: string, after: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = stream.received.slice(after).find(([name]) => name === event);
    if (hit) return hit[1];
    await sleep(20);
  }
  return undefined;
}

/**
 * The three targets on a fresh seeded database, each with one of everything: Centro (the attackers'
 * own store), Norte (another store of Demo Retail) and Sur (Other Chain, another company).
 */
async function prepareTargets(base: string, databaseUri: string): Promise<Context> {
  const ids = await demoIds(base);
  const prisma = await connectPrisma(databaseUri);
  let surDevice: string;
  try {
    surDevice = (
      await prisma.posDevice.create({ data: { workspaceId: ids.sur, name: 'POS-SUR-1', keyHash: deviceKeyHash(TEST_DEVICE_KEY) } })
    ).id;
    // A store manager who is not also Norte's: the strongest store-bound attacker.
    const manager = await prisma.user.findUniqueOrThrow({ where: { email: 'manager@demo.local' } });
    // A manager of Centro to be disabled once logged in: the holder of a revoked token.
    await prisma.user.create({
      data: {
        companyId: ids.companyId,
        email: 'revoked-manager@demo.local',
        name: 'Rita Revoked',
        role: 'MANAGER',
        passwordHash: manager.passwordHash,
        workspaces: { create: { workspaceId: ids.centro } },
      },
    });
    await prisma.user.create({
      data: {
        companyId: ids.companyId,
        email: 'manager-centro@demo.local',
        name: 'Mario Manager',
        role: 'MANAGER',
        passwordHash: manager.passwordHash,
        workspaces: { create: { workspaceId: ids.centro } },
      },
    });
  } finally {
    await prisma.onApplicationShutdown();
  }

  // The attackers' logins, again whenever a session-ending route ended them.
  const attackerLogins = {
    admin: () => login(base, 'admin@demo.local'),
    cashier: () => login(base, 'cashier1@demo.local', { deviceId: ids.centroDevice }),
    managerOfCentro: () => login(base, 'manager-centro@demo.local'),
    staff: () => login(base, 'staff@demo.local'),
  };
  const admin = await attackerLogins.admin();
  const manager = await login(base, 'manager@demo.local');
  const cashier = await attackerLogins.cashier();
  const norteCashier = await login(base, 'cashier2@demo.local', { deviceId: ids.norteDevice });
  const otherAdmin = await login(base, 'admin@other.local', { deviceId: surDevice });
  const tokens = {
    admin,
    cashier,
    managerOfCentro: await attackerLogins.managerOfCentro(),
    staff: await attackerLogins.staff(),
    revoked: await login(base, 'revoked-manager@demo.local'),
  };
  const userOf = (token: string) => decodeClaims(token).sub as string;
  const water = await productBySku(base, admin, 'WATER-500');
  const tea = await productBySku(base, otherAdmin, 'TEA-GREEN');

  const created = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await api(base, method, path, token, body);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  await created(admin, 'PATCH', `/users/${userOf(tokens.revoked)}`, { disabled: true });
  /** One of each: a sale, an open cart, a drawer, a count, a movement, an alert and a chat room of a store. */
  const oneOfEach = async (
    store: { workspace: string; device: string; product: string },
    tokens: { till: string; stock: string; admin: string; chat: string },
    names: { alert: string; chat: string; chatMembers: string[] },
  ) => {
    const sale = (await sell(base, tokens.till, [{ productId: store.product, quantity: 1 }])).body;
    const cart = await created(tokens.till, 'POST', '/pos/carts', {});
    const drawer = await created(tokens.till, 'POST', '/pos/cash-sessions', { openingFloat: 0, cashLimit: 100_000 });
    const count = await created(tokens.stock, 'POST', '/inventory/counts', { workspaceId: store.workspace, productIds: [store.product] });
    const { movement } = await created(tokens.stock, 'POST', '/inventory/movements', {
      type: 'IN',
      workspaceId: store.workspace,
      productId: store.product,
      quantity: 1,
    });
    const alert = await created(tokens.admin, 'POST', '/notifications', {
      title: names.alert,
      message: names.alert,
      scope: { type: 'workspace', workspaceId: store.workspace },
    });
    // With no one else to talk to (a company of one admin), a SUPPORT room.
    const room = await created(tokens.chat, 'POST', '/chat/rooms', {
      type: names.chatMembers.length ? 'EMPLOYEE' : 'SUPPORT',
      name: names.chat,
      memberIds: names.chatMembers,
    });
    await created(tokens.chat, 'POST', `/chat/rooms/${room.id}/messages`, { body: names.chat, clientMessageId: 'matrix-seed' });
    return {
      sale: sale.id as string,
      saleCart: sale.cartId as string,
      cart: cart.id,
      cashSession: drawer.id,
      count: count.id,
      movement: movement.id,
      notification: alert.id,
      chatRoom: room.id,
    };
  };

  const centro = await oneOfEach(
    { workspace: ids.centro, device: ids.centroDevice, product: water.id },
    { till: cashier, stock: manager, admin, chat: cashier },
    { alert: 'Centro probe alert', chat: 'Centro probe room', chatMembers: [userOf(manager)] },
  );
  const norte = await oneOfEach(
    { workspace: ids.norte, device: ids.norteDevice, product: water.id },
    { till: norteCashier, stock: manager, admin, chat: norteCashier },
    { alert: 'Norte secret alert', chat: 'Norte back office', chatMembers: [userOf(manager)] },
  );
  const sur = await oneOfEach(
    { workspace: ids.sur, device: surDevice, product: tea.id },
    { till: otherAdmin, stock: otherAdmin, admin: otherAdmin, chat: otherAdmin },
    { alert: 'Sur secret alert', chat: 'Sur back office', chatMembers: [] },
  );

  const own: Target = {
    fixtures: {
      company: ids.companyId,
      workspace: ids.centro,
      device: ids.centroDevice,
      product: water.id,
      user: userOf(cashier),
      ...centro,
    },
    secrets: [],
    rooms: [],
    token: cashier,
  };
  const otherStore: Target = {
    fixtures: {
      company: ids.companyId,
      workspace: ids.norte,
      device: ids.norteDevice,
      product: water.id,
      user: userOf(norteCashier),
      ...norte,
    },
    // Products, users and the company are chain-wide: a Centro caller may see them. Norte's own things are not.
    secrets: [ids.norte, ids.norteDevice, ...Object.values(norte), 'Norte', 'POS-NORTE-1'],
    rooms: [Rooms.workspace(ids.norte), Rooms.pos(ids.norteDevice), Rooms.chat(norte.chatRoom)],
    token: norteCashier,
  };
  const otherCompany: Target = {
    fixtures: { company: ids.otherCompanyId, workspace: ids.sur, device: surDevice, product: tea.id, user: userOf(otherAdmin), ...sur },
    secrets: [
      ids.otherCompanyId,
      ids.sur,
      surDevice,
      tea.id,
      userOf(otherAdmin),
      ...Object.values(sur),
      'Other Chain',
      'POS-SUR-1',
      'TEA-GREEN',
      'Green tea',
      'Otto Admin',
      'admin@other.local',
      'Sur secret alert',
      'Sur back office',
    ],
    rooms: [
      Rooms.company(ids.otherCompanyId),
      Rooms.catalog(ids.otherCompanyId),
      Rooms.workspace(ids.sur),
      Rooms.pos(surDevice),
      Rooms.user(userOf(otherAdmin)),
      Rooms.chat(sur.chatRoom),
    ],
    token: otherAdmin,
  };
  const byRole = { MANAGER: tokens.managerOfCentro, STAFF: tokens.staff, CASHIER: cashier };
  const relogin = async () => {
    for (const [who, logIn] of Object.entries(attackerLogins)) tokens[who as keyof typeof attackerLogins] = await logIn();
    Object.assign(byRole, { MANAGER: tokens.managerOfCentro, STAFF: tokens.staff, CASHIER: tokens.cashier });
  };
  return { tokens, relogin, byRole, own, otherStore, otherCompany };
}
