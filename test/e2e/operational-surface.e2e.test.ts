import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connectPrisma,
  connectSocket,
  createTestDatabase,
  describeWithServices,
  login,
  PRODUCTION_TEST_JWT_SECRET,
  startReplica,
  TEST_JWT_SECRET,
  type Replica,
  type TestDatabase,
} from '@retail/testing';

const execFileAsync = promisify(execFile);
const METRICS_TOKEN = 'metrics-token-for-the-tests';
const ALLOWED = 'https://pos.example.com';

/** The CORS answer a browser would get for a preflight from `origin`. */
const preflight = (url: string, origin: string) =>
  fetch(`${url}/auth/me`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  }).then((r) => r.headers.get('access-control-allow-origin'));

const socketFrom = (url: string, token: string, origin?: string) =>
  connectSocket(url, 'pos', token, origin ? { extraHeaders: { origin } } : {}).then(
    (s) => (s.close(), 'connected'),
    () => 'refused',
  );

describeWithServices(['postgres'], 'operational surface', () => {
  let db: TestDatabase;
  const started: Replica[] = [];
  const start = async (name: string, env: Record<string, string>) => {
    const replica = await startReplica(name, { DATABASE_URI: db.uri, ...env });
    started.push(replica);
    return replica;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(started.map((r) => r.stop()));
    await db?.drop();
  });

  describe('production with METRICS_TOKEN and CORS_ORIGINS', () => {
    let replica: Replica;
    beforeAll(async () => {
      // SEED_DEMO_DATA=true: this test database holds the demo chain.
      replica = await start('prod', { NODE_ENV: 'production', SEED_DEMO_DATA: 'true', METRICS_TOKEN, CORS_ORIGINS: ALLOWED });
    });

    it('serves /metrics only with the bearer token', async () => {
      expect((await api(replica.httpUrl, 'GET', '/metrics')).status).toBe(401);
      expect((await fetch(`${replica.httpUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const scrape = await fetch(`${replica.httpUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('realtime_sockets_connected');
    });

    it('serves no docs by default in production', async () => {
      for (const path of ['/docs', '/docs-json', '/asyncapi', '/asyncapi-json']) {
        expect((await fetch(`${replica.httpUrl}${path}`)).status, path).toBe(404);
      }
    });

    it('lets only the listed origins call REST and open sockets from a browser', async () => {
      expect(await preflight(replica.httpUrl, ALLOWED)).toBe(ALLOWED);
      expect(await preflight(replica.httpUrl, 'https://evil.example')).toBeNull();
      const token = await login(replica.httpUrl, 'manager@demo.local');
      expect(await socketFrom(replica.wsUrl, token, ALLOWED)).toBe('connected');
      expect(await socketFrom(replica.wsUrl, token, 'https://evil.example')).toBe('refused');
      expect(await socketFrom(replica.wsUrl, token)).toBe('connected'); // a till: no browser, no Origin
    });

    it('sends no x-powered-by, and keeps a client X-Request-Id only when short and plain', async () => {
      const plain = await fetch(`${replica.httpUrl}/health/live`, { headers: { 'x-request-id': 'till-7:req.42' } });
      expect(plain.headers.get('x-powered-by')).toBeNull();
      expect(plain.headers.get('x-request-id')).toBe('till-7:req.42');
      for (const unsafe of ['a'.repeat(65), 'has spaces', '"quoted"', 'x;y']) {
        const replaced = await fetch(`${replica.httpUrl}/health/live`, { headers: { 'x-request-id': unsafe } });
        expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  });

  it('production without METRICS_TOKEN or CORS_ORIGINS: no /metrics, no cross-origin calls', async () => {
    const replica = await start('prod-defaults', { NODE_ENV: 'production', SEED_DEMO_DATA: 'true' });
    expect((await fetch(`${replica.httpUrl}/metrics`)).status).toBe(404);
    expect(await preflight(replica.httpUrl, 'https://anywhere.example')).toBeNull();
    const token = await login(replica.httpUrl, 'manager@demo.local');
    expect(await socketFrom(replica.wsUrl, token, 'https://anywhere.example')).toBe('refused');
  });

  it('development: docs, metrics and any origin; DOCS_ENABLED=false turns the docs off', async () => {
    const dev = await start('dev', {});
    expect((await fetch(`${dev.httpUrl}/docs-json`)).status).toBe(200);
    expect((await fetch(`${dev.httpUrl}/metrics`)).status).toBe(200);
    expect(await preflight(dev.httpUrl, 'https://anywhere.example')).toBe('https://anywhere.example');
    const noDocs = await start('dev-no-docs', { DOCS_ENABLED: 'false' });
    expect((await fetch(`${noDocs.httpUrl}/docs-json`)).status).toBe(404);
    expect((await fetch(`${noDocs.httpUrl}/asyncapi`)).status).toBe(404);
  });

  it('a production replica refuses the test secret published in this repository (every test replica signs with it)', async () => {
    const refused = startReplica('prod-test-secret', { DATABASE_URI: db.uri, NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET });
    await expect(refused).rejects.toThrow(/exited during startup[\s\S]*JWT_SECRET: is a test secret published in this repository/);
  });

  it('a production replica refuses to start while a demo account has the demo password', async () => {
    const refused = startReplica('prod-demo', { DATABASE_URI: db.uri, NODE_ENV: 'production' });
    await expect(refused).rejects.toThrow(/exited during startup[\s\S]*admin@demo\.local[\s\S]*SEED_DEMO_DATA=true/);
  });

  it('npm run db:seed seeds nothing with NODE_ENV=production unless SEED_DEMO_DATA=true', async () => {
    const empty = await createTestDatabase({ seed: false });
    try {
      const seed = (env: Record<string, string>) =>
        execFileAsync(resolve('node_modules/.bin/tsx'), ['libs/database/src/seed/cli.ts'], {
          env: { PATH: process.env.PATH, DATABASE_URI: empty.uri, JWT_SECRET: PRODUCTION_TEST_JWT_SECRET, NODE_ENV: 'production', ...env },
        });
      expect((await seed({})).stdout).toMatch(/Not seeding/);
      const prisma = await connectPrisma(empty.uri);
      try {
        expect(await prisma.company.count()).toBe(0);
        expect((await seed({ SEED_DEMO_DATA: 'true' })).stdout).toMatch(/Seeded the demo chain/);
        expect(await prisma.company.count()).toBe(2);
      } finally {
        await prisma.onApplicationShutdown();
      }
    } finally {
      await empty.drop();
    }
  });

  it('production seeds nothing into an empty embedded database without SEED_DEMO_DATA', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rt-prod-embedded-'));
    try {
      const replica = await start('prod-embedded', { DATABASE_URI: '', DATA_DIR: dataDir, NODE_ENV: 'production' });
      const denied = await api(replica.httpUrl, 'POST', '/auth/login', undefined, { email: 'admin@demo.local', password: 'demo1234' });
      expect(denied).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
      await replica.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
