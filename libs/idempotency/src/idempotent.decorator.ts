import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * The route accepts an `Idempotency-Key` header: a retry with the same key, caller and request
 * gets the original status and body, and runs nothing again. The handler must make its changes in
 * its first TransactionRunner.run and return that run's value: the key and the answer are written
 * in that transaction. Authenticated routes only (the key is the caller's).
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: the same key with the same request replays the first answer (header Idempotent-Replayed: true) ' +
        'for 24 h. Another request with the key is 422 idempotency_key_reused; while the first still runs, 409 idempotency_in_progress with Retry-After.',
    }),
  );
