import { isIP } from 'node:net';
import { z } from 'zod';
import { FAULT_POINTS } from './fault-injection.js';
import { jwtSecretProblem } from './jwt-secret.js';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const port = z.coerce.number().int().min(1).max(65535);
/** Empty counts as unset, so `.env.example`'s blank lines keep each variable's default. */
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));
const optionalBool = optionalString
  .pipe(z.enum(['true', 'false']).optional())
  .transform((v) => (v === undefined ? undefined : v === 'true'));
const perSecond = z.coerce.number().int().min(0);

/** One entry of Express' `trust proxy` list: a named range, an address, or a CIDR. */
const isProxyEntry = (entry: string) => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(p)), {
      message: `must be empty or a ${protocols.join(' / ')} URL`,
    });

/** Every variable the process reads. `.env.example` documents the same list. */
export const envSchema = z
  .object({
    PORT: port.default(3000),
    WEBSOCKET_ENABLED: bool.default(true),
    WEBSOCKET_PORT: port.default(3001),
    DATABASE_URI: optionalUrl(['postgresql://', 'postgres://']),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(1000),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
    REDIS_URL: optionalUrl(['redis://', 'rediss://']),
    REDIS_KEY_PREFIX: z.string().min(1).default('retail-rt'),
    REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).default(250),
    REDIS_CLUSTER_NODES: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v.split(',').map((node) => node.trim()) : undefined))
      .refine((nodes) => nodes === undefined || nodes.every((node) => /^[^\s:]+:\d{1,5}$/.test(node)), {
        message: 'must be empty or a comma-separated list of host:port',
      }),
    REDIS_ADAPTER: z.enum(['classic', 'sharded']).default('classic'),
    SOCKET_MAX_BUFFERED_BYTES: z.coerce
      .number()
      .int()
      .min(16 * 1024)
      .default(8 * 1024 * 1024),
    DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(5),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(15_000),
    JWT_SECRET: z
      .string()
      .optional()
      .transform((v) => (v ? v : undefined))
      .superRefine((v, ctx) => refuseWeakSecret(v, ctx)),
    JWT_PREVIOUS_SECRETS: z
      .string()
      .optional()
      .transform((v) => (v ?? '').split(',').flatMap((s) => (s.trim() ? [s.trim()] : [])))
      .superRefine((secrets, ctx) => secrets.forEach((s) => refuseWeakSecret(s, ctx))),
    JWT_ISSUER: z.string().trim().min(1).default('retail-realtime'),
    JWT_AUDIENCE: z.string().trim().min(1).default('retail-realtime'),
    JWT_EXPIRES_IN: z.coerce.number().int().positive().max(86_400).default(900),
    REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(14 * 86_400),
    SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    ALERT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(250).default(60_000),
    /** Unset: 900 s, and 300 s for level ALERT. */
    ALERT_ESCALATE_AFTER_SECONDS: optionalString
      .transform((v) => (v === undefined ? undefined : Number(v)))
      .pipe(z.number().int().min(1).max(604_800).optional()),
    /** A till that reconnects within this long is not reported offline (nor online again). */
    PRESENCE_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(20),
    EVENT_STREAMS: bool.default(true),
    EVENT_RETENTION_SECONDS: z.coerce.number().int().min(60).default(86_400),
    EVENT_RETENTION_MAX_PER_ROOM: z.coerce.number().int().min(100).default(10_000),
    FAULT_INJECTION: z.enum(['none', ...FAULT_POINTS]).default('none'),
    OFFLINE_SALE_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    HOST: optionalString,
    SEED_DEMO_DATA: optionalBool,
    TRUST_PROXY: z
      .string()
      .trim()
      .default('loopback')
      .refine((v) => v.split(',').every((entry) => isProxyEntry(entry.trim())), {
        message: 'must be addresses, CIDRs or loopback / linklocal / uniquelocal, comma-separated',
      }),
    LOGIN_HASH_CONCURRENCY: z.coerce.number().int().min(0).default(0),
    LOGIN_HASH_QUEUE: z.coerce.number().int().min(0).default(16),
    ADMIN_HASH_CONCURRENCY: z.coerce.number().int().min(1).default(1),
    ADMIN_HASH_QUEUE: z.coerce.number().int().min(0).default(8),
    RATE_LIMIT_USER_PER_SECOND: perSecond.default(50),
    RATE_LIMIT_COMPANY_PER_SECOND: perSecond.default(1000),
    SOCKETS_PER_USER_MAX: z.coerce.number().int().min(1).default(100),
    SOCKET_ACCESS_RECHECK_SECONDS: z.coerce.number().int().min(2).max(60).default(60),
    SOCKET_MAX_HELD_EVENTS: z.coerce.number().int().min(10).default(10_000),
    REPLAY_EVENTS_PER_USER_PER_MINUTE: z.coerce.number().int().min(0).default(50_000),
    CORS_ORIGINS: optionalString,
    METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' }),
    DOCS_ENABLED: optionalBool,
  })
  .superRefine((env, ctx) => {
    if (env.FAULT_INJECTION !== 'none' && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['FAULT_INJECTION'], message: 'refused when NODE_ENV=production' });
    }
    const origins = env.CORS_ORIGINS?.split(',').map((o) => o.trim()) ?? [];
    if (origins.some((o) => o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o))) {
      ctx.addIssue({
        code: 'custom',
        path: ['CORS_ORIGINS'],
        message: 'must be *, or origins such as https://pos.example.com, comma-separated',
      });
    }
    if (env.REDIS_URL && env.REDIS_CLUSTER_NODES) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message: 'set either REDIS_URL or REDIS_CLUSTER_NODES, not both' });
    }
    // The socket.io emitter, which a REST-only replica publishes through when streams are off, speaks only the classic protocol.
    if (env.REDIS_ADAPTER === 'sharded' && !env.WEBSOCKET_ENABLED && !env.EVENT_STREAMS) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_ADAPTER'], message: 'sharded needs WEBSOCKET_ENABLED=true or EVENT_STREAMS=true' });
    }
    if (env.DRAIN_SECONDS * 1000 >= env.SHUTDOWN_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['SHUTDOWN_TIMEOUT_MS'], message: 'must be longer than DRAIN_SECONDS' });
    }
    if (env.DATABASE_URI && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'required when DATABASE_URI is set' });
    }
    if (env.NODE_ENV === 'production') {
      refuseInProduction('JWT_SECRET', [env.JWT_SECRET], ctx);
      refuseInProduction('JWT_PREVIOUS_SECRETS', env.JWT_PREVIOUS_SECRETS, ctx);
    }
  });

export type Env = z.output<typeof envSchema>;

function refuseWeakSecret(secret: string | undefined, ctx: z.RefinementCtx) {
  const problem = secret === undefined ? undefined : jwtSecretProblem(secret);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

/** Production's rule on top of everyone's: by now every secret passed those, so only a published one fails here. */
function refuseInProduction(variable: string, secrets: Array<string | undefined>, ctx: z.RefinementCtx) {
  for (const secret of secrets) {
    const problem = secret === undefined ? undefined : jwtSecretProblem(secret, { production: true });
    if (problem) ctx.addIssue({ code: 'custom', path: [variable], message: problem });
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function parseEnv(raw: Record<string, unknown>): Env {
  const result = envSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
