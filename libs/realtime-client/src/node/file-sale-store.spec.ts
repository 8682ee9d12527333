import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TillSale } from '@retail/realtime-protocol';
import { openFileSaleStore } from './file-sale-store.js';
import type { SaleFailure, SaleStore } from '../till/sale-store.js';

const sale = (): TillSale => ({
  id: randomUUID(),
  occurredAt: '2026-01-01T10:00:00.000Z',
  lines: [{ productId: '0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a10', quantity: 1, unitPrice: 250 }],
  payments: [{ method: 'CASH', amount: 250 }],
});
const tooOld: SaleFailure = { status: 'rejected', error: { code: 'sale_too_old', message: 'older than 30 days' } };

let dir: string;
let path: string;
const open: SaleStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-sale-store-'));
  path = join(dir, 'sales.jsonl');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
  await rm(dir, { recursive: true, force: true });
});

async function openStore(): Promise<SaleStore> {
  const store = await openFileSaleStore(path);
  open.push(store);
  return store;
}

/** Closes a store, as the till does when it stops, and opens the file again, as it does when it starts. */
async function restart(store: SaleStore): Promise<SaleStore> {
  await store.close();
  return openStore();
}

const journalLines = async () => (await readFile(path, 'utf8')).split('\n').filter(Boolean);

describe('openFileSaleStore', () => {
  it('holds the same sales after a restart, in order, nothing lost or doubled', async () => {
    const [a, b, c, d] = [sale(), sale(), sale(), sale()];
    let store = await openStore();
    for (const s of [a, b, c]) await store.append(s);
    await store.markFailed(b.id, tooOld);
    await store.remove([a.id]);

    store = await restart(store);
    expect(await store.load()).toEqual([{ sale: b, failure: tooOld }, { sale: c }]);
    await store.append(d);
    await store.markPending(b.id);

    store = await restart(store);
    expect(await store.load()).toEqual([{ sale: b }, { sale: c }, { sale: d }]);
  });

  it.each([
    ['a half-written record', '{"op":"add","sale":{"id":"'],
    ['zeros from a power cut', '\0\0\0\0\0\0\0\0'],
    ['a garbled last line', 'garbled\n'],
  ])('drops %s at the end, and goes on after the last whole record', async (_, torn) => {
    const [a, b] = [sale(), sale()];
    let store = await openStore();
    await store.append(a);
    await store.close();
    await appendFile(path, torn);

    store = await openStore();
    expect(await store.load()).toEqual([{ sale: a }]);
    expect(await readFile(path, 'utf8')).toBe(`${JSON.stringify({ op: 'add', sale: a })}\n`);
    await store.append(b);
    store = await restart(store);
    expect(await store.load()).toEqual([{ sale: a }, { sale: b }]);
    expect((await journalLines()).map((line) => JSON.parse(line).sale.id)).toEqual([a.id, b.id]);
  });

  it('refuses a journal damaged before its last line, rather than drop what follows', async () => {
    const store = await openStore();
    await store.append(sale());
    await store.close();
    await appendFile(path, 'garbled\n');
    await appendFile(path, `${JSON.stringify({ op: 'add', sale: sale() })}\n`);

    await expect(openFileSaleStore(path)).rejects.toThrow(/corrupt at byte/);
    // Its lock was given back: opening again fails for the same reason, not for the lock.
    await expect(openFileSaleStore(path)).rejects.toThrow(/corrupt at byte/);
  });

  it('compacts the journal once settled records dominate it, keeping what it holds', async () => {
    const sales = Array.from({ length: 120 }, sale);
    let store = await openStore();
    for (const s of sales) await store.append(s);
    await store.markFailed(sales[115].id, tooOld);
    await store.remove(sales.slice(0, 110).map((s) => s.id));

    const kept = sales.slice(110).map((s) => (s === sales[115] ? { sale: s, failure: tooOld } : { sale: s }));
    expect(await store.load()).toEqual(kept);
    // One add per sale kept, and the failure of the failed one.
    expect(await journalLines()).toHaveLength(11);
    expect(await readdir(dir)).toEqual(['sales.jsonl', 'sales.jsonl.lock']);

    store = await restart(store);
    expect(await store.load()).toEqual(kept);
  });

  it('lets one process at a time hold it', async () => {
    const store = await openStore();

    await expect(openFileSaleStore(path)).rejects.toThrow(/already held by this process/);
    await store.close();
    // Another live process (our parent will do) holds it.
    await writeFile(`${path}.lock`, String(process.ppid));
    await expect(openFileSaleStore(path)).rejects.toThrow(`held by process ${process.ppid}`);
  });

  it.each([
    ['a process that is gone', () => String(spawnSync(process.execPath, ['--eval', '']).pid)],
    ['a power cut before its pid reached the disk', () => ''],
  ])('takes over a lock left by %s', async (_, holder) => {
    const a = sale();
    let store = await openStore();
    await store.append(a);
    await store.close();
    await writeFile(`${path}.lock`, holder());

    store = await openStore();
    expect(await readFile(`${path}.lock`, 'utf8')).toBe(String(process.pid));
    expect(await store.load()).toEqual([{ sale: a }]);
    await store.close();
    expect(await readdir(dir)).toEqual(['sales.jsonl']);
  });
});
