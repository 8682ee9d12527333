import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Env } from './env.schema.js';

/** Typed, validated configuration. Injected everywhere instead of ConfigService strings. */
export class AppConfig {
  readonly http: { port: number };
  readonly websocket: { enabled: boolean; port: number; sharesHttpServer: boolean; maxBufferedBytes: number };
  readonly shutdown: { drainSeconds: number; timeoutMs: number };
  readonly database: { uri?: string; dataDir: string; embedded: boolean; connectTimeoutMs: number; statementTimeoutMs: number };
  readonly redis: {
    url?: string;
    clusterNodes?: string[];
    keyPrefix: string;
    commandTimeoutMs: number;
    adapter: Env['REDIS_ADAPTER'];
  };
  readonly jwt: { secret: string; expiresInSeconds: number; generated: boolean };
  readonly alerts: { sweepIntervalMs: number };
  readonly streams: { enabled: boolean; retentionSeconds: number; retentionMaxPerRoom: number; faultInjection: Env['FAULT_INJECTION'] };
  readonly logLevel: Env['LOG_LEVEL'];
  readonly nodeEnv: Env['NODE_ENV'];

  constructor(env: Env) {
    const dataDir = resolve(env.DATA_DIR);
    this.http = { port: env.PORT };
    this.websocket = {
      enabled: env.WEBSOCKET_ENABLED,
      port: env.WEBSOCKET_PORT,
      sharesHttpServer: env.WEBSOCKET_PORT === env.PORT,
      maxBufferedBytes: env.SOCKET_MAX_BUFFERED_BYTES,
    };
    this.shutdown = { drainSeconds: env.DRAIN_SECONDS, timeoutMs: env.SHUTDOWN_TIMEOUT_MS };
    this.database = {
      uri: env.DATABASE_URI,
      dataDir,
      embedded: !env.DATABASE_URI,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    };
    this.redis = {
      url: env.REDIS_URL,
      clusterNodes: env.REDIS_CLUSTER_NODES,
      keyPrefix: env.REDIS_KEY_PREFIX,
      commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
      adapter: env.REDIS_ADAPTER,
    };
    const secret = env.JWT_SECRET ?? embeddedJwtSecret(dataDir);
    this.jwt = { secret, expiresInSeconds: env.JWT_EXPIRES_IN, generated: !env.JWT_SECRET };
    this.alerts = { sweepIntervalMs: env.ALERT_SWEEP_INTERVAL_MS };
    this.streams = {
      enabled: env.EVENT_STREAMS,
      retentionSeconds: env.EVENT_RETENTION_SECONDS,
      retentionMaxPerRoom: env.EVENT_RETENTION_MAX_PER_ROOM,
      faultInjection: env.FAULT_INJECTION,
    };
    this.logLevel = env.LOG_LEVEL;
    this.nodeEnv = env.NODE_ENV;
  }
}

/** Embedded mode keeps a random secret beside the data so tokens survive restarts. */
function embeddedJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
