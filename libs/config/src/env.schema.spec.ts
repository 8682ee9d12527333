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
    [{ JWT_SECRET: 'short' }, /JWT_SECRET: must be at least 32/],
  ])('rejects %j', (raw, message) => {
    expect(() => parseEnv(raw)).toThrow(ConfigError);
    expect(() => parseEnv(raw)).toThrow(message);
  });
});
