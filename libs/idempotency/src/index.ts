export { Idempotent } from './idempotent.decorator.js';
export { CLAIM_LEASE_MS, IdempotencyKeys, KEY_RETENTION_MS } from './idempotency-keys.js';
export { IdempotencyModule } from './idempotency.module.js';
