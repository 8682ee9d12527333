import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Principal } from '@retail/auth';
import { afterCommit, PrismaService, withFirstTransactionStep } from '@retail/database';
import { IdempotencyKeys, keyReused, type KeyId, type StoredAnswer } from './idempotency-keys.js';
import { idempotencyKeyOf, requestHash } from './request-fingerprint.js';

/**
 * Makes a command safe to retry with an `Idempotency-Key` header (see @Idempotent()). The key row
 * lives in the command's own transaction, found through AsyncLocalStorage (withFirstTransactionStep):
 *
 * - its first statement inserts (caller, key, request hash): the primary key makes a concurrent
 *   duplicate, on any replica, wait for this transaction instead of running the command again;
 * - its last statement stores the status and body, so the answer commits with the change, or
 *   neither does: a failed command leaves no key, and its retry runs afresh;
 * - a retry, or a duplicate that waited, finds the committed row and replays it (422 if the key
 *   came with another request; 409 idempotency_in_progress if the first one runs too long).
 *
 * Nothing is held outside the transaction, so a replica dying mid-request leaves no stuck key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly keys: IdempotencyKeys;

  constructor(prisma: PrismaService) {
    this.keys = new IdempotencyKeys(prisma);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { user: Principal }>();
    const key = idempotencyKeyOf(request.header('idempotency-key'));
    if (key === undefined) return next.handle();
    const id = { userId: request.user.userId, key };
    const hash = requestHash(request.method, request.originalUrl, request.body);
    return from(this.runOnce(id, hash, http.getResponse<Response>(), next));
  }

  private async runOnce(id: KeyId, hash: string, response: Response, next: CallHandler): Promise<unknown> {
    const earlier = await this.keys.find(id);
    if (earlier) return this.replay(earlier, hash, response);
    const status = response.statusCode; // the route's success status, set by Nest before interceptors
    let stored = false;
    try {
      const body = await withFirstTransactionStep(
        {
          start: (tx) => this.keys.claim(tx, id, hash),
          finish: async (tx, result) => {
            await this.keys.complete(tx, id, status, result);
            afterCommit(tx, () => (stored = true));
          },
        },
        () => lastValueFrom(next.handle(), { defaultValue: undefined }),
      );
      // A command that needed no transaction has no change to commit with: its answer is stored alone.
      if (!stored) await this.keys.store(id, hash, status, body);
      return body;
    } catch (error) {
      // A duplicate that committed first made this one fail (on the key, or on the state it changed).
      const answer = await this.keys.find(id).catch(() => undefined);
      if (answer) return this.replay(answer, hash, response);
      throw error;
    }
  }

  private replay(answer: StoredAnswer, hash: string, response: Response): unknown {
    if (answer.requestHash !== hash) throw keyReused();
    response.status(answer.status).setHeader('Idempotent-Replayed', 'true');
    return answer.body;
  }
}
