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

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ WEBSOCKET_ENABLED: 'yes' }, /WEBSOCKET_ENABLED/],
    [{ DATABASE_URI: 'mysql://x' }, /DATABASE_URI/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET: must be at least 32/],
    [{ TRUST_PROXY: 'everyone' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
    [{ CORS_ORIGINS: 'pos.example.com' }, /CORS_ORIGINS/],
    [{ CORS_ORIGINS: 'https://pos.example.com/path' }, /CORS_ORIGINS/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN: must be at least 16/],
    [{ RATE_LIMIT_USER_PER_SECOND: '-1' }, /RATE_LIMIT_USER_PER_SECOND/],
    [{ SOCKETS_PER_USER_MAX: '0' }, /SOCKETS_PER_USER_MAX/],
    [{ SEED_DEMO_DATA: 'yes' }, /SEED_DEMO_DATA/],
  ])('rejects %j', (raw, message) => {
    expect(() => parseEnv(raw)).toThrow(ConfigError);
    expect(() => parseEnv(raw)).toThrow(message);
  });
});
