import { randomUUID } from 'node:crypto';
import { AppError } from '@retail/common';
import type { Db, Prisma, PrismaService } from '@retail/database';

/** A key is the caller's own: two users may pick the same one. */
export interface KeyId {
  userId: string;
  key: string;
}

export type Claim = { kind: 'claimed'; token: string } | { kind: 'completed'; status: number; body: unknown } | { kind: 'in_progress' };

/**
 * Longer than any request can run (a transaction is cut at 20 s), so a claim this old belongs to
 * a request that died before it committed, and the next retry may take it over.
 */
export const CLAIM_LEASE_MS = 60_000;
/** How long an answer is kept for retries. */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

export const keyReused = () =>
  AppError.unprocessable('idempotency_key_reused', 'This Idempotency-Key was already used for a different request');
export const stillRunning = () =>
  AppError.conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry shortly').retryAfter(1);

/** The IdempotencyKey rows: claimed before a command runs, completed in its transaction. */
export class IdempotencyKeys {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Claims the key for a request, or says what an earlier request with it left. The primary key
   * (userId, key) decides between concurrent claims, on any replica: ON CONFLICT DO NOTHING, so
   * exactly one insert wins and the others read the winner's row.
   */
  async claim(id: KeyId, requestHash: string, now = new Date()): Promise<Claim> {
    const token = randomUUID();
    const [claimed] = await this.prisma.idempotencyKey.createManyAndReturn({
      data: [{ ...id, requestHash, claimToken: token, claimedAt: now }],
      skipDuplicates: true,
      select: { claimToken: true },
    });
    if (claimed) return { kind: 'claimed', token };
    const row = await this.prisma.idempotencyKey.findUnique({ where: { userId_key: id } });
    if (!row) return this.claim(id, requestHash, now); // released meanwhile: its request failed
    if (row.requestHash !== requestHash) throw keyReused();
    if (row.state === 'COMPLETED') return { kind: 'completed', status: row.status!, body: row.response };
    if (row.claimedAt.getTime() > now.getTime() - CLAIM_LEASE_MS) return { kind: 'in_progress' };
    // Conditional on the dead claim, so of two takers only one gets it.
    const { count } = await this.prisma.idempotencyKey.updateMany({
      where: { ...id, state: 'IN_PROGRESS', claimToken: row.claimToken },
      data: { claimToken: token, claimedAt: now },
    });
    return count ? { kind: 'claimed', token } : { kind: 'in_progress' };
  }

  /**
   * Stores the answer; called inside the command's transaction, so it commits with the change or
   * not at all. Conditional on the claim: a request whose claim was taken over rolls back.
   */
  async complete(id: KeyId, token: string, status: number, body: unknown, db: Db = this.prisma): Promise<void> {
    const { count } = await db.idempotencyKey.updateMany({
      where: { ...id, state: 'IN_PROGRESS', claimToken: token },
      // As the response is sent: what JSON keeps of the value.
      data: { state: 'COMPLETED', status, response: JSON.parse(JSON.stringify(body)) as Prisma.InputJsonValue },
    });
    if (!count) throw stillRunning();
  }

  /** The request failed, so nothing of it committed: a retry may run it again. */
  async release(id: KeyId, token: string): Promise<void> {
    await this.prisma.idempotencyKey.deleteMany({ where: { ...id, state: 'IN_PROGRESS', claimToken: token } });
  }

  /** Forgets keys older than the retention. */
  async prune(now = new Date()): Promise<number> {
    const { count } = await this.prisma.idempotencyKey.deleteMany({
      where: { createdAt: { lt: new Date(now.getTime() - KEY_RETENTION_MS) } },
    });
    return count;
  }
}
