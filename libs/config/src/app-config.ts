import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, type Env } from './env.schema.js';
import { jwtSecretProblem } from './jwt-secret.js';

/** Typed, validated configuration. Injected everywhere instead of ConfigService strings. */
export class AppConfig {
  /** `host` is the listening interface; `trustProxy` the proxies whose X-Forwarded-For is believed (Express syntax). */
  readonly http: { port: number; host: string; trustProxy: string[]; docsEnabled: boolean };
  /** `'*'`: any origin; otherwise the only origins a browser may call REST or Socket.IO from (none: same-origin only). */
  readonly cors: { origins: '*' | string[] };
  /**
   * `accessRecheckSeconds`: every live socket's access is resolved again at least this often, and one
   * whose access could not be verified for that long is ended. `maxHeldEvents`: live events held for a
   * socket while it replays. `replayEventsPerUserPerMinute`: events replayed to one user's sockets, 0 = no cap.
   */
  readonly websocket: {
    enabled: boolean;
    port: number;
    sharesHttpServer: boolean;
    socketsPerUserMax: number;
    maxBufferedBytes: number;
    accessRecheckSeconds: number;
    maxHeldEvents: number;
    replayEventsPerUserPerMinute: number;
  };
  readonly shutdown: { drainSeconds: number; timeoutMs: number };
  /** `served` false: no /metrics at all (production without METRICS_TOKEN). */
  readonly metrics: { token?: string; served: boolean };
  /** Whether this deployment is a demo: the demo chain is seeded, and its known password tolerated. */
  readonly demo: { seed: boolean };
  /**
   * Password hashing per replica, in two lanes with threads of their own: sign-in (logins, a user's
   * own password) and admins setting passwords. In each, `concurrency` hash at once and `queue` more
   * wait; beyond, `503 login_busy` / `503 admin_hashing_busy` at once.
   */
  readonly passwordHashing: Record<'login' | 'admin', { concurrency: number; queue: number }>;
  /** Requests per second, 0 = off. */
  readonly rateLimits: { userPerSecond: number; companyPerSecond: number };
  readonly database: { uri?: string; dataDir: string; embedded: boolean; connectTimeoutMs: number; statementTimeoutMs: number };
  readonly redis: {
    url?: string;
    clusterNodes?: string[];
    keyPrefix: string;
    commandTimeoutMs: number;
    adapter: Env['REDIS_ADAPTER'];
  };
  readonly jwt: {
    /** Signs every new token. */
    secret: string;
    /** Still verify, so a key rollover logs nobody out. */
    previousSecrets: string[];
    issuer: string;
    audience: string;
    expiresInSeconds: number;
    generated: boolean;
  };
  readonly refreshTokens: { ttlSeconds: number };
  /** A login session's absolute lifetime: no refresh extends it. */
  readonly sessions: { maxAgeSeconds: number };
  /** escalateAfterSeconds: how long an alert of each level may stay open, unacknowledged, before it is escalated. */
  readonly alerts: { sweepIntervalMs: number; escalateAfterSeconds: { ALERT: number; WARNING: number } };
  readonly presence: { graceMs: number };
  readonly streams: { enabled: boolean; retentionSeconds: number; retentionMaxPerRoom: number };
  /** Till sales older than this many days are refused (sale_too_old). */
  readonly pos: { offlineSaleMaxAgeDays: number };
  /** Tests only: where a replica kills itself (see crashAt). */
  readonly faultInjection: Env['FAULT_INJECTION'];
  readonly logLevel: Env['LOG_LEVEL'];
  readonly nodeEnv: Env['NODE_ENV'];

  constructor(env: Env) {
    const dataDir = resolve(env.DATA_DIR);
    const production = env.NODE_ENV === 'production';
    this.http = {
      port: env.PORT,
      // Embedded mode is a laptop or a store's back-office PC: not reachable from the LAN unless asked.
      host: env.HOST ?? (env.DATABASE_URI ? '0.0.0.0' : '127.0.0.1'),
      trustProxy: env.TRUST_PROXY.split(',').map((p) => p.trim()),
      docsEnabled: env.DOCS_ENABLED ?? !production,
    };
    const origins = env.CORS_ORIGINS?.split(',').map((o) => o.trim());
    this.cors = { origins: origins?.includes('*') ? '*' : (origins ?? (production ? [] : '*')) };
    this.websocket = {
      enabled: env.WEBSOCKET_ENABLED,
      port: env.WEBSOCKET_PORT,
      sharesHttpServer: env.WEBSOCKET_PORT === env.PORT,
      socketsPerUserMax: env.SOCKETS_PER_USER_MAX,
      maxBufferedBytes: env.SOCKET_MAX_BUFFERED_BYTES,
      accessRecheckSeconds: env.SOCKET_ACCESS_RECHECK_SECONDS,
      maxHeldEvents: env.SOCKET_MAX_HELD_EVENTS,
      replayEventsPerUserPerMinute: env.REPLAY_EVENTS_PER_USER_PER_MINUTE,
    };
    this.shutdown = { drainSeconds: env.DRAIN_SECONDS, timeoutMs: env.SHUTDOWN_TIMEOUT_MS };
    this.metrics = { token: env.METRICS_TOKEN, served: Boolean(env.METRICS_TOKEN) || !production };
    this.demo = { seed: seedsDemoData(env) };
    this.passwordHashing = {
      // Half the cores by default: the other half stays with the event loop.
      login: {
        concurrency: env.LOGIN_HASH_CONCURRENCY || Math.max(1, Math.floor(availableParallelism() / 2)),
        queue: env.LOGIN_HASH_QUEUE,
      },
      admin: { concurrency: env.ADMIN_HASH_CONCURRENCY, queue: env.ADMIN_HASH_QUEUE },
    };
    this.rateLimits = { userPerSecond: env.RATE_LIMIT_USER_PER_SECOND, companyPerSecond: env.RATE_LIMIT_COMPANY_PER_SECOND };
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
    const secret = env.JWT_SECRET ?? embeddedJwtSecret(dataDir, production);
    this.jwt = {
      secret,
      previousSecrets: env.JWT_PREVIOUS_SECRETS,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      expiresInSeconds: env.JWT_EXPIRES_IN,
      generated: !env.JWT_SECRET,
    };
    this.refreshTokens = { ttlSeconds: env.REFRESH_TOKEN_TTL_SECONDS };
    this.sessions = { maxAgeSeconds: env.SESSION_MAX_DAYS * 86_400 };
    const escalateAfter = env.ALERT_ESCALATE_AFTER_SECONDS;
    this.alerts = {
      sweepIntervalMs: env.ALERT_SWEEP_INTERVAL_MS,
      escalateAfterSeconds: { ALERT: escalateAfter ?? 300, WARNING: escalateAfter ?? 900 },
    };
    this.presence = { graceMs: env.PRESENCE_GRACE_SECONDS * 1000 };
    this.streams = {
      enabled: env.EVENT_STREAMS,
      retentionSeconds: env.EVENT_RETENTION_SECONDS,
      retentionMaxPerRoom: env.EVENT_RETENTION_MAX_PER_ROOM,
    };
    this.pos = { offlineSaleMaxAgeDays: env.OFFLINE_SALE_MAX_AGE_DAYS };
    this.faultInjection = env.FAULT_INJECTION;
    this.logLevel = env.LOG_LEVEL;
    this.nodeEnv = env.NODE_ENV;
  }
}

/** Demo data only on request in production; in development `npm start` seeds it, one command for newcomers. */
export function seedsDemoData(env: Env): boolean {
  return env.SEED_DEMO_DATA ?? env.NODE_ENV !== 'production';
}

/**
 * Embedded mode keeps a random secret beside the data so tokens survive restarts. It appears
 * whole or not at all (written aside, then linked into place), and of two boots racing to create
 * it the second reads the first one's.
 */
function embeddedJwtSecret(dataDir: string, production: boolean): string {
  const file = join(dataDir, 'jwt-secret');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let secret = readSecretFile(file);
  if (secret === undefined) {
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(draft, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
    try {
      linkSync(draft, file); // fails with EEXIST when another boot got there first: its secret wins
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
    secret = readSecretFile(file)!;
  }
  const problem = jwtSecretProblem(secret, { production });
  if (problem) throw new ConfigError(`Invalid configuration: ${file}: ${problem} (delete the file to generate a new one)`);
  return secret;
}

function readSecretFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
