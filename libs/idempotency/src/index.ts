export { Idempotent } from './idempotent.decorator.js';
export { IdempotencyKeys, KEY_RETENTION_MS, WAIT_FOR_ANSWER_MS } from './idempotency-keys.js';
export { IdempotencyModule } from './idempotency.module.js';
