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
  ])('rejects %j', (raw, message) => {
    expect(() => parseEnv(raw)).toThrow(ConfigError);
    expect(() => parseEnv(raw)).toThrow(message);
  });
});
