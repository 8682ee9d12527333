import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const port = z.coerce.number().int().min(1).max(65535);
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
      .refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
    JWT_EXPIRES_IN: z.coerce.number().int().positive().default(3600),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    ALERT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(250).default(60_000),
    EVENT_STREAMS: bool.default(true),
    EVENT_RETENTION_SECONDS: z.coerce.number().int().min(60).default(86_400),
    EVENT_RETENTION_MAX_PER_ROOM: z.coerce.number().int().min(100).default(10_000),
    FAULT_INJECTION: z.enum(['none', 'crash-before-publishing-a-sale']).default('none'),
  })
  .superRefine((env, ctx) => {
    if (env.FAULT_INJECTION !== 'none' && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['FAULT_INJECTION'], message: 'refused when NODE_ENV=production' });
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
  });

export type Env = z.output<typeof envSchema>;

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
