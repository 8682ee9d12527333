import { AppError, sqlStateOf } from '@retail/common';
import type { Prisma, PrismaService, Tx } from '@retail/database';

/** A key is the caller's own: two users may pick the same one. */
export interface KeyId {
  userId: string;
  key: string;
}

/** What the first request with a key answered. */
export interface StoredAnswer {
  requestHash: string;
  status: number;
  body: unknown;
}

/** How long an answer is kept for retries. */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** How long a duplicate waits for the first request's transaction before 409 idempotency_in_progress. */
export const WAIT_FOR_ANSWER_MS = 5_000;
const LOCK_NOT_AVAILABLE = '55P03';

export const keyReused = () =>
  AppError.unprocessable('idempotency_key_reused', 'This Idempotency-Key was already used for a different request');
export const stillRunning = () =>
  AppError.conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry shortly').retryAfter(1);

// As the response is sent: what JSON keeps of the value.
const toJson = (body: unknown) => JSON.parse(JSON.stringify(body)) as Prisma.InputJsonValue;

/** The IdempotencyKey rows. A committed row always holds its answer. */
export class IdempotencyKeys {
  constructor(private readonly prisma: PrismaService) {}

  async find(id: KeyId): Promise<StoredAnswer | undefined> {
    const row = await this.prisma.idempotencyKey.findUnique({ where: { userId_key: id } });
    return row ? { requestHash: row.requestHash, status: row.status!, body: row.response } : undefined;
  }

  /**
   * The first statement of the command's transaction: takes the key. A duplicate's insert, on any
   * replica, waits on the primary key until this transaction ends: committed, it fails (and its
   * request reads the answer); rolled back, it goes on and runs the command itself. The wait is
   * bounded by a lock_timeout, then 409 idempotency_in_progress.
   */
  async claim(tx: Tx, id: KeyId, requestHash: string): Promise<void> {
    await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${WAIT_FOR_ANSWER_MS}`); // a constant, not input
    try {
      await tx.idempotencyKey.create({ data: { ...id, requestHash }, select: { key: true } });
    } catch (error) {
      if (sqlStateOf(error) === LOCK_NOT_AVAILABLE) throw stillRunning();
      throw error;
    }
    await tx.$executeRawUnsafe('SET LOCAL lock_timeout TO DEFAULT'); // the command's own lock waits stay unbounded by it
  }

  /** The last statement of the command's transaction: the answer commits with the change. */
  async complete(tx: Tx, id: KeyId, status: number, body: unknown): Promise<void> {
    await tx.idempotencyKey.update({ where: { userId_key: id }, data: { status, response: toJson(body) }, select: { key: true } });
  }

  /** The answer of a command that needed no transaction, stored on its own. */
  async store(id: KeyId, requestHash: string, status: number, body: unknown): Promise<void> {
    await this.prisma.idempotencyKey.createMany({ data: [{ ...id, requestHash, status, response: toJson(body) }], skipDuplicates: true });
  }

  /** Forgets keys older than the retention. */
  async prune(now = new Date()): Promise<number> {
    const { count } = await this.prisma.idempotencyKey.deleteMany({
      where: { createdAt: { lt: new Date(now.getTime() - KEY_RETENTION_MS) } },
    });
    return count;
  }
}
