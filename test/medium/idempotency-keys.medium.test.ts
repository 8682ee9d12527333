import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Tx, withFirstTransactionStep } from '@retail/database';
import { IdempotencyKeys, KEY_RETENTION_MS } from '@retail/idempotency';
import { describeWithServices, sleep, startDomainHarness, type DomainHarness } from '@retail/testing';

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
  /** A command with a key, as the interceptor runs it: the key joins its first transaction. */
  const command = <T>(id: { userId: string; key: string }, work: () => Promise<T>, hash = 'hash') =>
    withFirstTransactionStep({ start: (tx) => keys.claim(tx, id, hash), finish: (tx, result) => keys.complete(tx, id, 201, result) }, () =>
      h.transactions.run(work),
    );

  it('makes a concurrent duplicate wait for the first transaction, and fail once it commits', async () => {
    const id = newKey();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = command(id, async () => (await gate, { n: 1, at: new Date(0) }));
    await sleep(200);
    const duplicate = command(id, async () => ({ n: 2 })).catch((error) => error);
    await sleep(300);
    expect(await keys.find(id)).toBeUndefined(); // nothing committed yet: the duplicate waits

    release();
    expect(await first).toMatchObject({ n: 1 });
    expect(await duplicate).toMatchObject({ code: 'P2002' }); // its request then replays the answer
    expect(await keys.find(id)).toEqual({ requestHash: 'hash', status: 201, body: { n: 1, at: '1970-01-01T00:00:00.000Z' } });
  });

  it('lets a duplicate run the command itself when the first one rolls back, leaving no key behind', async () => {
    const id = newKey();
    const failing = command(id, async () => (await sleep(300), Promise.reject(new Error('insufficient stock'))));
    await sleep(100);
    const retry = command(id, async () => ({ n: 2 }));
    await expect(failing).rejects.toThrow('insufficient stock');
    expect(await retry).toEqual({ n: 2 });
    expect(await keys.find(id)).toMatchObject({ status: 201, body: { n: 2 } });
  });

  it('joins the next transaction of the same work when the first one rolls back', async () => {
    const id = newKey();
    const step = { start: (tx: Tx) => keys.claim(tx, id, 'hash'), finish: (tx: Tx, r: unknown) => keys.complete(tx, id, 200, r) };
    const result = await withFirstTransactionStep(step, async () => {
      await h.transactions.run(async () => Promise.reject(new Error('rolled back'))).catch(() => undefined);
      expect(await keys.find(id)).toBeUndefined();
      return h.transactions.run(async (tx) => ({ companies: await tx.company.count() }));
    });
    expect(await keys.find(id)).toEqual({ requestHash: 'hash', status: 200, body: result });
  });

  it('replays the body with its keys in their order, and prunes keys past the retention', async () => {
    const id = newKey();
    await keys.store(id, 'hash', 201, { zeta: 1, alpha: 2, id: 'x' });
    expect(Object.keys((await keys.find(id))!.body as object)).toEqual(['zeta', 'alpha', 'id']);

    const created = (await h.prisma.idempotencyKey.findUniqueOrThrow({ where: { userId_key: id } })).createdAt.getTime();
    await keys.prune(new Date(created + KEY_RETENTION_MS - 1000));
    expect(await keys.find(id)).toBeDefined();
    await keys.prune(new Date(created + KEY_RETENTION_MS + 1000));
    expect(await keys.find(id)).toBeUndefined();
  });
});
