import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from './env.schema.js';

describe('parseEnv', () => {
  it('applies the documented defaults to an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, WEBSOCKET_ENABLED: true, WEBSOCKET_PORT: 3001, DATA_DIR: './data' });
    expect(env).toMatchObject({ DATABASE_CONNECT_TIMEOUT_MS: 1000, DATABASE_STATEMENT_TIMEOUT_MS: 15_000, REDIS_COMMAND_TIMEOUT_MS: 250 });
    expect(env.DATABASE_URI).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('treats empty DATABASE_URI and REDIS_URL as embedded / single node', () => {
    const env = parseEnv({ DATABASE_URI: '', REDIS_URL: '' });
    expect(env.DATABASE_URI).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('requires JWT_SECRET when DATABASE_URI is set, naming the variable', () => {
    expect(() => parseEnv({ DATABASE_URI: 'postgresql://u@h/db' })).toThrow(/JWT_SECRET: required when DATABASE_URI is set/);
  });

  it('reads a Redis Cluster as a list of seed nodes, and the scale settings with their defaults', () => {
    const env = parseEnv({ REDIS_CLUSTER_NODES: '10.0.0.5:6379, redis-2:7000', REDIS_ADAPTER: 'sharded' });
    expect(env).toMatchObject({ REDIS_CLUSTER_NODES: ['10.0.0.5:6379', 'redis-2:7000'], REDIS_ADAPTER: 'sharded' });
    expect(parseEnv({})).toMatchObject({ REDIS_ADAPTER: 'classic', SOCKET_MAX_BUFFERED_BYTES: 8 * 1024 * 1024, DRAIN_SECONDS: 5 });
    expect(parseEnv({}).SHUTDOWN_TIMEOUT_MS).toBe(15_000);
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: 'redis-1' }, /REDIS_CLUSTER_NODES: must be empty or a comma-separated list of host:port/],
    [{ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'r:6379' }, /REDIS_CLUSTER_NODES: set either REDIS_URL or REDIS_CLUSTER_NODES/],
    [{ REDIS_ADAPTER: 'sharded', WEBSOCKET_ENABLED: 'false', EVENT_STREAMS: 'false' }, /REDIS_ADAPTER: sharded needs/],
    [{ DRAIN_SECONDS: '20', SHUTDOWN_TIMEOUT_MS: '15000' }, /SHUTDOWN_TIMEOUT_MS: must be longer than DRAIN_SECONDS/],
    [{ SOCKET_MAX_BUFFERED_BYTES: '100' }, /SOCKET_MAX_BUFFERED_BYTES/],
  ])('refuses the inconsistent %j', (raw, message) => {
    expect(() => parseEnv(raw)).toThrow(message);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ WEBSOCKET_ENABLED: 'yes' }, /WEBSOCKET_ENABLED/],
    [{ DATABASE_URI: 'mysql://x' }, /DATABASE_URI/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET: too weak: needs at least 32 characters/],
    [{ JWT_EXPIRES_IN: '86401' }, /JWT_EXPIRES_IN/],
    [{ TRUST_PROXY: 'everyone' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
    [{ CORS_ORIGINS: 'pos.example.com' }, /CORS_ORIGINS/],
    [{ CORS_ORIGINS: 'https://pos.example.com/path' }, /CORS_ORIGINS/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN: must be at least 16/],
    [{ RATE_LIMIT_USER_PER_SECOND: '-1' }, /RATE_LIMIT_USER_PER_SECOND/],
    [{ SOCKETS_PER_USER_MAX: '0' }, /SOCKETS_PER_USER_MAX/],
    [{ SOCKET_ACCESS_RECHECK_SECONDS: '61' }, /SOCKET_ACCESS_RECHECK_SECONDS/],
    [{ REPLAY_EVENTS_PER_USER_PER_MINUTE: '-1' }, /REPLAY_EVENTS_PER_USER_PER_MINUTE/],
    [{ SEED_DEMO_DATA: 'yes' }, /SEED_DEMO_DATA/],
    [{ SESSION_MAX_DAYS: '0' }, /SESSION_MAX_DAYS/],
    [{ SESSION_MAX_DAYS: '1.5' }, /SESSION_MAX_DAYS/],
  ])('rejects %j', (raw, message) => {
    expect(() => parseEnv(raw)).toThrow(ConfigError);
    expect(() => parseEnv(raw)).toThrow(message);
  });
});

describe('JWT settings', () => {
  const strong = 'Qm3vX9tLr7Wc2NpK8sZd5FhJ1yGb4TaE6uRwPq0Vn';

  it('defaults to 15-minute access tokens, 14-day refresh tokens, 30-day sessions, and an issuer and audience', () => {
    expect(parseEnv({})).toMatchObject({
      JWT_EXPIRES_IN: 900,
      REFRESH_TOKEN_TTL_SECONDS: 14 * 86_400,
      SESSION_MAX_DAYS: 30,
      JWT_ISSUER: 'retail-realtime',
      JWT_AUDIENCE: 'retail-realtime',
      JWT_PREVIOUS_SECRETS: [],
    });
  });

  it.each([
    ['change-me-to-a-long-random-secret-of-32-chars', /placeholder \(contains "change-me"\)/],
    ['my-super-secret-jwt-key-for-production-use-only', /placeholder \(contains "secret"\)/],
    ['PLACEHOLDER-Qm3vX9tLr7Wc2NpK8sZd5FhJ1yGb4TaE', /placeholder/],
    ['demo-Qm3vX9tLr7Wc2NpK8sZd5FhJ1yGb4TaE6uRwPq0Vn', /placeholder \(contains "demo"\)/],
    ['x'.repeat(64), /too weak/],
    ['abababababababababababababababababababab', /too weak/],
    // 128 random bits as 32 hex digits rarely use all 16 digits, so they score under 128: use more.
    ['9d9f13aaba8e978e39c3bea619b05ca4', /too weak/],
    ['Qm3vX9tLr7Wc2Np', /too weak: needs at least 32 characters and about 128 bits/],
  ])('refuses JWT_SECRET=%s', (secret, message) => {
    expect(() => parseEnv({ JWT_SECRET: secret })).toThrow(message);
  });

  it('accepts a random base64 or hex secret', () => {
    expect(parseEnv({ JWT_SECRET: strong }).JWT_SECRET).toBe(strong);
    expect(parseEnv({ JWT_SECRET: 'bb451216f98adeeff9551971a117eaf3be086aba260544c0631aa62d4cb7d859' }).JWT_SECRET).toHaveLength(64);
  });

  it('refuses the published test secrets with NODE_ENV=production, and only then', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: strong })).toThrow(
      /JWT_SECRET: is a test secret published in this repository/,
    );
    const own = randomBytes(48).toString('base64');
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: own, JWT_PREVIOUS_SECRETS: strong })).toThrow(
      /JWT_PREVIOUS_SECRETS: is a test secret published/,
    );
    expect(parseEnv({ NODE_ENV: 'production', JWT_SECRET: own }).JWT_SECRET).toBe(own);
    expect(parseEnv({ NODE_ENV: 'test', JWT_SECRET: strong }).JWT_SECRET).toBe(strong);
  });

  it('splits JWT_PREVIOUS_SECRETS on commas and holds each to the same rule', () => {
    const other = 'NZ4OesjyGBBOOi8j5cZsWOBe3wm4QPbSX1g1L8YOzRE';
    expect(parseEnv({ JWT_SECRET: strong, JWT_PREVIOUS_SECRETS: ` ${other} ,` }).JWT_PREVIOUS_SECRETS).toEqual([other]);
    expect(() => parseEnv({ JWT_SECRET: strong, JWT_PREVIOUS_SECRETS: `${other},change-me-please-0000000000000000` })).toThrow(
      /JWT_PREVIOUS_SECRETS: looks like a placeholder/,
    );
  });
});
