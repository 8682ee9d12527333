import { z } from 'zod';
import { jwtSecretProblem } from './jwt-secret.js';

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
    if (env.DATABASE_URI && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'required when DATABASE_URI is set' });
    }
  });

export type Env = z.output<typeof envSchema>;

function refuseWeakSecret(secret: string | undefined, ctx: z.RefinementCtx) {
  const problem = secret === undefined ? undefined : jwtSecretProblem(secret);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
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
