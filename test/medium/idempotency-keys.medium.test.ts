import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withFirstTransactionStep } from '@retail/database';
import { CLAIM_LEASE_MS, IdempotencyKeys, KEY_RETENTION_MS } from '@retail/idempotency';
import { describeWithServices, startDomainHarness, type DomainHarness } from '@retail/testing';

describeWithServices(['postgres'], 'idempotency keys on PostgreSQL', () => {
  let h: DomainHarness;
  let keys: IdempotencyKeys;
  let userId: string;

  beforeAll(async () => {
    h = await startDomainHarness();
    keys = new IdempotencyKeys(h.prisma);
    userId = (await h.principal('cashier1@demo.local')).userId;
  });
  afterAll(() => h?.close());

  const newKey = () => ({ userId, key: randomUUID() });
  const token = (claim: Awaited<ReturnType<IdempotencyKeys['claim']>>) => {
    if (claim.kind !== 'claimed') throw new Error(`not claimed: ${claim.kind}`);
    return claim.token;
  };

  it('lets exactly one of many concurrent claims win, and answers the others from its row', async () => {
    const id = newKey();
    const claims = await Promise.all(Array.from({ length: 8 }, () => keys.claim(id, 'hash')));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'in_progress')).toHaveLength(7);

    await keys.complete(id, token(claims.find((c) => c.kind === 'claimed')!), 201, { id: 'sale-1', at: new Date(0) });
    expect(await keys.claim(id, 'hash')).toEqual({
      kind: 'completed',
      status: 201,
      body: { id: 'sale-1', at: '1970-01-01T00:00:00.000Z' },
    });
    await expect(keys.claim(id, 'another request')).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('stores the answer in the first transaction of the work: it commits with the change, or not at all', async () => {
    const id = newKey();
    const claimed = token(await keys.claim(id, 'hash'));
    const step = (tx: Parameters<typeof keys.complete>[4], result: unknown) => keys.complete(id, claimed, 201, result, tx);

    // The first transaction rolls back: the row stays in progress; the retry inside the same work stores it.
    const answer = await withFirstTransactionStep(step, async () => {
      await h.transactions.run(async () => Promise.reject(new Error('rolled back'))).catch(() => undefined);
      expect(await keys.claim(id, 'hash')).toEqual({ kind: 'in_progress' });
      return h.transactions.run(async (tx) => (await tx.company.count(), { done: true }));
    });
    expect(answer).toEqual({ done: true });
    expect(await keys.claim(id, 'hash')).toEqual({ kind: 'completed', status: 201, body: { done: true } });
  });

  it('frees a failed claim for a retry, and lets a retry take over a claim older than the lease', async () => {
    const failed = newKey();
    await keys.release(failed, token(await keys.claim(failed, 'hash')));
    expect((await keys.claim(failed, 'hash')).kind).toBe('claimed');

    const dead = newKey();
    const stale = token(await keys.claim(dead, 'hash', new Date(Date.now() - CLAIM_LEASE_MS - 1000)));
    const taken = token(await keys.claim(dead, 'hash'));
    // The dead request cannot complete any more: its answer would roll its transaction back.
    await expect(keys.complete(dead, stale, 201, {})).rejects.toMatchObject({ code: 'idempotency_in_progress', retryAfterSeconds: 1 });
    await keys.complete(dead, taken, 200, { ok: true });
    expect(await keys.claim(dead, 'hash')).toMatchObject({ kind: 'completed', status: 200 });
  });

  it('keeps keys for the retention, then prunes them', async () => {
    const id = newKey();
    await keys.complete(id, token(await keys.claim(id, 'hash')), 201, {});
    const created = (await h.prisma.idempotencyKey.findUniqueOrThrow({ where: { userId_key: id } })).createdAt.getTime();
    await keys.prune(new Date(created + KEY_RETENTION_MS - 1000));
    expect(await h.prisma.idempotencyKey.count({ where: id })).toBe(1);
    await keys.prune(new Date(created + KEY_RETENTION_MS + 1000));
    expect(await h.prisma.idempotencyKey.count({ where: id })).toBe(0);
  });
});
