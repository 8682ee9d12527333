import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TillSale, type SaleSyncResult } from '@retail/realtime-protocol';
import type { RealtimeClientError } from '../errors.js';
import { openFileSaleStore } from '../node/file-sale-store.js';
import { createSaleQueue, type SaleQueue, type SaleQueueOptions } from './sale-queue.js';
import { memorySaleStore, type SaleStore } from './sale-store.js';

const PRODUCT = '0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a10';
const sale = (overrides: Partial<TillSale> = {}): TillSale => ({
  id: randomUUID(),
  occurredAt: '2026-01-01T10:00:00.000Z',
  lines: [{ productId: PRODUCT, quantity: 1, unitPrice: 250 }],
  payments: [{ method: 'CASH', amount: 250 }],
  ...overrides,
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Failure {
  status: number;
  code: string;
  retryAfter?: number;
}

/**
 * `POST /pos/sales/sync` on loopback, answering as the server does: a sale is stored once per id
 * (the same content again is `duplicate`, other content `conflict`), ids in `rejections` are
 * `rejected`. Tests switch it: `failNext` answers whole-request errors, `hang` stores and never
 * answers (the answer lost on the way), `down()` refuses connections.
 */
async function salesServer() {
  const stored = new Map<string, string>();
  const server = {
    stored,
    /** Every id the server stored, each time it did: an id twice would be a sale stored twice. */
    acceptedIds: [] as string[],
    requests: [] as { token: string | undefined; ids: string[] }[],
    failNext: [] as Failure[],
    rejections: new Map<string, { code: string; message: string }>(),
    hang: false,
    url: '',
    down: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
    up: () => new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve)),
    close: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
  const answer = (input: TillSale): SaleSyncResult => {
    const id = input.id;
    const rejection = server.rejections.get(id);
    if (rejection) return { id, status: 'rejected', error: rejection };
    const content = JSON.stringify(TillSale.parse(input));
    const before = stored.get(id);
    if (before === undefined) {
      stored.set(id, content);
      server.acceptedIds.push(id);
      return { id, status: 'accepted' };
    }
    if (before === content) return { id, status: 'duplicate' };
    return { id, status: 'conflict', error: { code: 'sale_conflict', message: 'that id is another sale' } };
  };
  const reply = (res: ServerResponse, status: number, body: object, retryAfter?: number) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
    });
    res.end(JSON.stringify(body));
  };
  const http = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { sales } = JSON.parse(body) as { sales: TillSale[] };
      server.requests.push({ token: req.headers.authorization?.replace(/^Bearer /, ''), ids: sales.map((s) => s.id) });
      const failure = server.failNext.shift();
      if (failure)
        return reply(res, failure.status, { statusCode: failure.status, code: failure.code, message: failure.code }, failure.retryAfter);
      const results = sales.map(answer);
      if (!server.hang) reply(res, 200, { results });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  server.url = `http://127.0.0.1:${port}`;
  return server;
}

const servers: Awaited<ReturnType<typeof salesServer>>[] = [];
const queues: SaleQueue[] = [];
const tills: ChildProcess[] = [];

afterEach(async () => {
  for (const till of tills.splice(0)) till.kill('SIGKILL');
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer() {
  const server = await salesServer();
  servers.push(server);
  return server;
}

/** A queue on `server`, with small backoffs, recording what it reports. */
function queueOn(server: { url: string }, options: Partial<SaleQueueOptions> = {}) {
  const errors: RealtimeClientError[] = [];
  const results: SaleSyncResult[] = [];
  const store = options.store ?? memorySaleStore();
  const queue = createSaleQueue({
    url: server.url,
    getToken: () => 'token',
    onError: (error) => errors.push(error),
    onResult: (result) => results.push(result),
    retryDelayMs: { min: 5, max: 20 },
    ...options,
    store,
  });
  queues.push(queue);
  return { queue, store, errors, results };
}

async function setup(options: Partial<SaleQueueOptions> = {}) {
  const server = await startServer();
  return { server, ...queueOn(server, options) };
}

const ids = async (store: SaleStore) => (await store.load()).map(({ sale }) => sale.id);

describe('createSaleQueue', () => {
  it('stores a sale before sending anything, and forgets it once the server has it', async () => {
    const inner = memorySaleStore();
    const appended = new Set<string>();
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const store: SaleStore = {
      ...inner,
      append: async (s) => {
        await gate;
        await inner.append(s);
        appended.add(s.id);
      },
    };
    // Looks at each upload as it leaves: every sale in it must be stored already.
    const sentBeforeStored: string[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      const { sales } = JSON.parse(String(init?.body)) as { sales: TillSale[] };
      sentBeforeStored.push(...sales.flatMap((s) => (appended.has(s.id) ? [] : [s.id])));
      return globalThis.fetch(input, init);
    };
    const { server, queue } = await setup({ store, fetch });
    const s = sale();

    const adding = queue.add(s);
    // While the store has not got it, there is nothing to send.
    expect(await queue.sync()).toMatchObject({ accepted: 0, pending: 0 });
    openGate();
    await adding;
    await until(() => server.stored.has(s.id));
    await until(async () => (await ids(inner)).length === 0);
    expect(server.requests.map((request) => request.ids)).toEqual([[s.id]]);
    expect(sentBeforeStored).toEqual([]);
  });

  it('refuses an invalid sale at once, storing nothing', async () => {
    const { queue, store } = await setup({ autoSync: false });

    await expect(queue.add(sale({ lines: [] }))).rejects.toThrow();
    await expect(queue.add(sale({ payments: [{ method: 'CASH', amount: 0 }] }))).rejects.toThrow();
    expect(await ids(store)).toEqual([]);
  });

  it('ignores an id added again with the same content, and refuses it with other content', async () => {
    const { queue, store } = await setup({ autoSync: false });
    const s = sale();
    await queue.add(s);

    await queue.add({ ...s, id: s.id.toUpperCase() });
    await expect(queue.add({ ...s, occurredAt: '2026-01-02T10:00:00.000Z' })).rejects.toThrow(/already queued with other content/);
    expect(await ids(store)).toEqual([s.id]);
  });

  it('uploads pending sales oldest first, in batches, and forgets each one the server stored', async () => {
    const { server, queue, store, results } = await setup({ autoSync: false, batchSize: 2 });
    const sales = [sale(), sale(), sale(), sale(), sale()];
    for (const s of sales) await queue.add(s);

    expect(await queue.sync()).toEqual({ accepted: 5, duplicate: 0, conflict: 0, rejected: 0, pending: 0 });
    const sent = sales.map((s) => s.id);
    expect(server.requests.map((request) => request.ids)).toEqual([sent.slice(0, 2), sent.slice(2, 4), sent.slice(4)]);
    expect(results.map((result) => [result.id, result.status])).toEqual(sent.map((id) => [id, 'accepted']));
    expect(await ids(store)).toEqual([]);
  });

  it('counts a sale the server had already (duplicate) as stored', async () => {
    const { server, queue, store } = await setup({ autoSync: false });
    const s = sale();
    server.stored.set(s.id, JSON.stringify(TillSale.parse(s)));
    await queue.add(s);

    expect(await queue.sync()).toMatchObject({ accepted: 0, duplicate: 1, pending: 0 });
    expect(await ids(store)).toEqual([]);
  });

  it('keeps conflicting and rejected sales as failed, reports them, and sends them again only when told to', async () => {
    const { server, queue, store, errors, results } = await setup();
    const [conflicting, rejected, fine] = [sale(), sale(), sale()];
    server.stored.set(conflicting.id, JSON.stringify(TillSale.parse({ ...conflicting, occurredAt: '2026-01-02T10:00:00.000Z' })));
    server.rejections.set(rejected.id, { code: 'unknown_product', message: 'no such product' });
    await queue.add(conflicting);
    await queue.add(rejected);
    await queue.add(fine);

    await until(() => results.length === 3);
    expect(results.map((result) => result.status)).toEqual(['conflict', 'rejected', 'accepted']);
    expect(await queue.failed()).toEqual([
      { sale: conflicting, failure: { status: 'conflict', error: { code: 'sale_conflict', message: 'that id is another sale' } } },
      { sale: rejected, failure: { status: 'rejected', error: { code: 'unknown_product', message: 'no such product' } } },
    ]);
    expect(errors.map((error) => [error.code, (error.details as SaleSyncResult).id])).toEqual([
      ['sale_refused', conflicting.id],
      ['sale_refused', rejected.id],
    ]);
    expect(await queue.sync()).toMatchObject({ conflict: 0, rejected: 0, pending: 0 });
    const requests = server.requests.length;

    server.rejections.clear();
    await queue.retry(rejected.id);
    await until(() => results.length === 4);
    expect(results[3]).toMatchObject({ id: rejected.id, status: 'accepted' });
    await queue.discard(conflicting.id);
    expect(await queue.failed()).toEqual([]);
    expect(await ids(store)).toEqual([]);
    expect(server.requests.slice(requests).map((request) => request.ids)).toEqual([[rejected.id]]);
    await expect(queue.discard(fine.id)).rejects.toThrow(/not a failed sale/);
  });

  it('keeps sales pending while the server is down, and sends them once it is back', async () => {
    const { server, queue, errors } = await setup();
    await server.down();
    const sales = [sale(), sale()];
    for (const s of sales) await queue.add(s);

    await until(() => errors.some((error) => error.code === 'sync_failed'));
    expect(errors[0].details).toMatchObject({ code: 'network_error', message: expect.stringContaining('ECONNREFUSED') });
    expect((await queue.pending()).map((s) => s.id)).toEqual(sales.map((s) => s.id));

    await server.up();
    await until(() => server.stored.size === 2);
    await until(async () => (await queue.pending()).length === 0);
    expect(server.acceptedIds).toEqual(sales.map((s) => s.id));
  });

  it.each([
    [429, 'rate_limited'],
    [503, 'database_unavailable'],
  ])('after %i %s, waits at least as long as Retry-After says', async (status, code) => {
    const { server, queue, errors } = await setup();
    server.failNext.push({ status, code, retryAfter: 30 });
    await queue.add(sale());

    await until(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ code: 'sync_failed', details: { status, code } });
    expect((errors[0].details as { retryInMs: number }).retryInMs).toBeGreaterThanOrEqual(30_000);
    // Asked for, an upload goes now all the same.
    expect(await queue.sync()).toMatchObject({ accepted: 1, pending: 0 });
  });

  it('asks for a fresh token after a 401, and goes on in the same sync', async () => {
    let issued = 0;
    const { server, queue, errors } = await setup({ autoSync: false, getToken: () => `token-${++issued}` });
    server.failNext.push({ status: 401, code: 'token_expired' });
    await queue.add(sale());

    expect(await queue.sync()).toMatchObject({ accepted: 1, pending: 0 });
    expect(server.requests.map((request) => request.token)).toEqual(['token-1', 'token-2']);
    expect(errors).toEqual([]);
  });

  it('reports an upload refused as it is, and does not retry it on a timer', async () => {
    const { server, queue, errors } = await setup();
    server.failNext.push({ status: 403, code: 'forbidden' });
    await queue.add(sale());

    await until(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ code: 'sync_refused', details: { status: 403, code: 'forbidden' } });
    // With 5 ms backoff, a queue retrying on a timer would have sent several more by now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
    expect(await queue.pending()).toHaveLength(1);
    expect(await queue.sync()).toMatchObject({ accepted: 1, pending: 0 });
  });

  it('sends a sale again when its answer did not come in time, and the server counts it once', async () => {
    const { server, queue, errors } = await setup({ autoSync: false, requestTimeoutMs: 100 });
    const s = sale();
    await queue.add(s);
    server.hang = true;

    expect(await queue.sync()).toMatchObject({ accepted: 0, pending: 1 });
    expect(errors[0]).toMatchObject({ code: 'sync_failed', details: { code: 'timeout' } });
    server.hang = false;
    expect(await queue.sync()).toMatchObject({ duplicate: 1, pending: 0 });
    expect(server.acceptedIds).toEqual([s.id]);
  });

  it('runs one sync at a time', async () => {
    const { server, queue } = await setup({ autoSync: false });
    await queue.add(sale());

    const first = queue.sync();
    expect(queue.sync()).toBe(first);
    await first;
    expect(server.requests).toHaveLength(1);
  });

  it('sends the sales left from the last run as soon as it starts', async () => {
    const store = memorySaleStore();
    const left = [sale(), sale()];
    for (const s of left) await store.append(s);
    const { server } = await setup({ store });

    await until(() => server.stored.size === 2);
    expect(server.requests.map((request) => request.ids)).toEqual([left.map((s) => s.id)]);
  });

  it('closes once the running sync is done, then takes no more sales', async () => {
    const inner = memorySaleStore();
    let storeClosed = false;
    const store: SaleStore = { ...inner, close: async () => void (storeClosed = true) };
    const { server, queue } = await setup({ store, autoSync: false, requestTimeoutMs: 200 });
    await queue.add(sale());
    server.hang = true;

    const syncing = queue.sync();
    await queue.close();
    expect(storeClosed).toBe(true);
    expect(await syncing).toMatchObject({ pending: 1 });
    await expect(queue.add(sale())).rejects.toThrow(/closed/);
  });

  it('loses no stored sale and stores none twice when the till crashes, wherever it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sale-queue-'));
    const path = join(dir, 'sales.jsonl');
    const server = await startServer();
    // The server stores the first upload and its answer never comes: the till dies waiting for it.
    server.hang = true;
    const stored: string[] = [];
    tills.push(crashingTill({ path, url: server.url, template: sale() }, (id) => stored.push(id)));

    await until(() => stored.length >= 20 && server.requests.length >= 1);
    await kill(tills[0]);

    // The dead till's lock is taken over; all it had stored is there, in order, once each.
    server.hang = false;
    const { queue } = queueOn(server, { store: await openFileSaleStore(path), autoSync: false });
    const pending = (await queue.pending()).map((s) => s.id);
    expect(pending.slice(0, stored.length)).toEqual(stored);
    // At most the one add() under way when it died made it too.
    expect(pending.length - stored.length).toBeLessThanOrEqual(1);
    expect(new Set(pending).size).toBe(pending.length);

    const uploaded = server.requests[0].ids.length;
    expect(await queue.sync()).toMatchObject({ duplicate: uploaded, accepted: pending.length - uploaded, pending: 0 });
    expect(server.acceptedIds).toEqual(pending);
    await rm(dir, { recursive: true, force: true });
  });
});

/**
 * A till in its own process, on a file store, adding sales made from `template` one after the other
 * as fast as it can, and telling each id once add() resolved, until it is killed.
 */
function crashingTill(input: { path: string; url: string; template: TillSale }, onStored: (id: string) => void): ChildProcess {
  const module = (file: string) => new URL(file, import.meta.url).href;
  const code = `
    import { randomUUID } from 'node:crypto';
    import { createSaleQueue } from '${module('./sale-queue.ts')}';
    import { openFileSaleStore } from '${module('../node/file-sale-store.ts')}';
    const { path, url, template } = JSON.parse(process.env.TILL_INPUT);
    const queue = createSaleQueue({ url, getToken: () => 'token', store: await openFileSaleStore(path), onError: () => {} });
    for (;;) {
      const sale = { ...template, id: randomUUID() };
      await queue.add(sale);
      process.stdout.write(sale.id + '\\n');
    }
  `;
  const till = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '--eval', code], {
    // Where tsx and the workspace packages resolve from.
    cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
    env: { ...process.env, TILL_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let partial = '';
  till.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    lines.forEach(onStored);
  });
  return till;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
