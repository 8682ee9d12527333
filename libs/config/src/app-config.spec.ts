import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppConfig, seedsDemoData } from './app-config.js';
import { ConfigError, parseEnv } from './env.schema.js';

describe('the embedded JWT secret', () => {
  const roots: string[] = [];
  const freshRoot = () => {
    const root = mkdtempSync(join(tmpdir(), 'app-config-'));
    roots.push(root);
    return root;
  };
  afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('is generated once in a private DATA_DIR, readable by its owner only, and read back on the next boot', () => {
    const dataDir = join(freshRoot(), 'data');
    const first = new AppConfig(parseEnv({ DATA_DIR: dataDir }));
    expect(first.jwt.generated).toBe(true);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first.jwt.secret);
    expect(new AppConfig(parseEnv({ DATA_DIR: dataDir })).jwt.secret).toBe(first.jwt.secret);
  });

  it('refuses a secret file that is too short or weak, naming the file', () => {
    const dataDir = freshRoot();
    writeFileSync(join(dataDir, 'jwt-secret'), 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(() => new AppConfig(parseEnv({ DATA_DIR: dataDir }))).toThrow(ConfigError);
    expect(() => new AppConfig(parseEnv({ DATA_DIR: dataDir }))).toThrow(/jwt-secret: too weak/);
  });
});

// Drawn per run: production refuses any secret committed here.
const SECRET = randomBytes(48).toString('base64url');
const config = (raw: Record<string, string>) => new AppConfig(parseEnv({ JWT_SECRET: SECRET, ...raw }));
const production = { NODE_ENV: 'production', DATABASE_URI: 'postgresql://u@h/db' };

describe('AppConfig safe defaults', () => {
  it('development: demo data, docs, open metrics, any origin, loopback proxies', () => {
    const dev = config({});
    expect(dev.demo.seed).toBe(true);
    expect(dev.http).toMatchObject({ docsEnabled: true, trustProxy: ['loopback'] });
    expect(dev.metrics).toEqual({ token: undefined, served: true });
    expect(dev.cors.origins).toBe('*');
  });

  it('production: no demo data, no docs, no metrics without a token, no cross-origin calls', () => {
    const prod = config(production);
    expect(prod.demo.seed).toBe(false);
    expect(prod.http.docsEnabled).toBe(false);
    expect(prod.metrics.served).toBe(false);
    expect(prod.cors.origins).toEqual([]);
    expect(config({ ...production, METRICS_TOKEN: 'a-metrics-token-16+' }).metrics.served).toBe(true);
    expect(config({ ...production, SEED_DEMO_DATA: 'true', DOCS_ENABLED: 'true' })).toMatchObject({
      demo: { seed: true },
      http: { docsEnabled: true },
    });
  });

  it('listens on loopback in embedded mode and on every interface with DATABASE_URI, unless HOST says', () => {
    expect(config({}).http.host).toBe('127.0.0.1');
    expect(config(production).http.host).toBe('0.0.0.0');
    expect(config({ HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
  });

  it('reads the lists: CORS_ORIGINS and TRUST_PROXY', () => {
    expect(config({ CORS_ORIGINS: 'https://a.example, http://b.example:8080' }).cors.origins).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(config({ ...production, CORS_ORIGINS: '*' }).cors.origins).toBe('*');
    expect(config({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,loopback' }).http.trustProxy).toEqual(['10.0.0.0/8', '192.168.1.7', 'loopback']);
  });

  it('defaults the limits: 50/s per user, 1000/s per company, 100 sockets per user, hashing lanes of their own', () => {
    const { rateLimits, websocket, passwordHashing } = config({});
    expect(rateLimits).toEqual({ userPerSecond: 50, companyPerSecond: 1000 });
    expect(websocket).toMatchObject({ socketsPerUserMax: 100, accessRecheckSeconds: 60, maxHeldEvents: 10_000 });
    expect(websocket.replayEventsPerUserPerMinute).toBe(50_000);
    expect(passwordHashing.login.concurrency).toBeGreaterThanOrEqual(1);
    expect(passwordHashing.login.queue).toBe(16);
    expect(passwordHashing.admin).toEqual({ concurrency: 1, queue: 8 });
  });

  it('seedsDemoData: SEED_DEMO_DATA wins, else everywhere but production', () => {
    expect(seedsDemoData(parseEnv({ NODE_ENV: 'production', SEED_DEMO_DATA: '' }))).toBe(false);
    expect(seedsDemoData(parseEnv({ SEED_DEMO_DATA: 'false' }))).toBe(false);
    expect(seedsDemoData(parseEnv({ NODE_ENV: 'test' }))).toBe(true);
  });
});
