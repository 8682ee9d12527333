import { Injectable } from '@nestjs/common';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { RateBudgets } from '@retail/auth';
import { AppError, describeError, parseWith } from '@retail/common';
import type { Ack } from '@retail/realtime-protocol';
import type { AuthedSocket } from '../handshake/socket-context.js';

// Token bucket per socket: bursts of 20, 10 messages per second sustained.
const BUCKET_CAPACITY = 20;
const REFILL_PER_SECOND = 10;

function takeToken(socket: AuthedSocket): boolean {
  const now = Date.now();
  const bucket = (socket.data.bucket ??= { tokens: BUCKET_CAPACITY, updatedAt: now });
  bucket.tokens = Math.min(BUCKET_CAPACITY, bucket.tokens + ((now - bucket.updatedAt) / 1000) * REFILL_PER_SECOND);
  bucket.updatedAt = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/**
 * Runs client commands: rate limit, validate the payload, run, and answer the ack with
 * `{ok:true,...result}` or `{ok:false,error:{code,message}}`. Nothing a client sends can throw
 * out of here, so a bad message never takes the socket or the process down.
 */
@Injectable()
export class CommandRunner {
  constructor(private readonly budgets: RateBudgets) {}

  /**
   * Two limits: the socket's own bucket, checked first and locally, so one socket's flood never
   * reaches Redis; then the user's and the company's REST budgets, which every socket and request
   * of theirs shares (a new socket brings no fresh allowance).
   */
  async run<S extends StandardSchemaV1, R extends object>(
    socket: AuthedSocket,
    schema: S,
    payload: unknown,
    handler: (input: StandardSchemaV1.InferOutput<S>) => Promise<R> | R,
  ): Promise<Ack<R>> {
    try {
      if (!takeToken(socket)) throw AppError.rateLimited('Too many messages on this socket');
      await this.budgets.take(socket.data.principal);
      const input = await parseWith(schema, payload ?? {});
      return { ok: true, ...(await handler(input)) };
    } catch (error) {
      const { code, message, details } = describeError(error);
      return { ok: false, error: { code, message, ...(details === undefined ? {} : { details }) } };
    }
  }
}
