import { setTimeout as sleep } from 'node:timers/promises';
import { type CallHandler, type ExecutionContext, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Principal } from '@retail/auth';
import { afterCommit, PrismaService, withFirstTransactionStep } from '@retail/database';
import { type Claim, IdempotencyKeys, type KeyId, stillRunning } from './idempotency-keys.js';
import { idempotencyKeyOf, requestHash } from './request-fingerprint.js';

// A duplicate waits this long for the first request's answer, then gets 409 idempotency_in_progress.
const WAIT_FOR_ANSWER_MS = 5_000;
const POLL_MS = 100;

/**
 * Makes a command safe to retry with an `Idempotency-Key` header (see @Idempotent()):
 *
 * 1. Claim: insert the key row (caller, key, request hash) IN_PROGRESS, in its own statement. The
 *    primary key lets one request win, on any replica; the others never run the command. They
 *    wait for its answer and replay it, or give up with 409 idempotency_in_progress.
 * 2. Run the handler. Its first TransactionRunner transaction also marks the row COMPLETED with the
 *    response (withFirstTransactionStep), so the answer commits with the change, or neither does.
 * 3. On failure nothing committed: the claim is deleted and a retry runs the command afresh.
 *
 * A claim whose request died (process killed between 1 and 2) expires after CLAIM_LEASE_MS; the
 * completing update checks the claim, so a request that lost its claim rolls back.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
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
    const claim = await this.awaitClaim(id, hash);
    if (claim.kind === 'completed') {
      response.status(claim.status).setHeader('Idempotent-Replayed', 'true');
      return claim.body;
    }
    const status = response.statusCode; // the route's success status, set by Nest before interceptors
    let stored = false;
    try {
      const body = await withFirstTransactionStep(
        async (tx, result) => {
          await this.keys.complete(id, claim.token, status, result, tx);
          afterCommit(tx, () => (stored = true));
        },
        () => lastValueFrom(next.handle(), { defaultValue: undefined }),
      );
      // A command that needed no transaction has no change to commit with: store its answer alone.
      if (!stored) await this.keys.complete(id, claim.token, status, body);
      return body;
    } catch (error) {
      await this.keys.release(id, claim.token).catch((e: Error) => this.logger.warn(`Could not release ${id.key}: ${e.message}`));
      throw error;
    }
  }

  /** Claims the key, or waits (polling) while another request holds it. */
  private async awaitClaim(id: KeyId, hash: string): Promise<Exclude<Claim, { kind: 'in_progress' }>> {
    const deadline = Date.now() + WAIT_FOR_ANSWER_MS;
    for (;;) {
      const claim = await this.keys.claim(id, hash);
      if (claim.kind !== 'in_progress') return claim;
      if (Date.now() + POLL_MS > deadline) throw stillRunning();
      await sleep(POLL_MS);
    }
  }
}
