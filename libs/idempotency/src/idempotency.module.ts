import { Module } from '@nestjs/common';
import { IdempotencyPruner } from './idempotency-pruner.js';

/** The hourly prune of expired keys. Routes opt in with @Idempotent(); only the app imports this module. */
@Module({ providers: [IdempotencyPruner] })
export class IdempotencyModule {}
