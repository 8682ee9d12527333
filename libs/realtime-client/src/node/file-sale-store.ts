import { constants } from 'node:fs';
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { TillSale } from '@retail/realtime-protocol';
import { acquireFileLock, type FileLock } from './file-lock.js';
import type { QueuedSale, SaleFailure, SaleStore } from '../till/sale-store.js';

/** One line of the journal. Replayed in order, they rebuild what the store holds. */
type JournalRecord =
  | { op: 'add'; sale: TillSale }
  | { op: 'remove'; ids: string[] }
  | { op: 'failed'; id: string; failure: SaleFailure }
  | { op: 'pending'; id: string };

const OPS: ReadonlySet<string> = new Set<JournalRecord['op']>(['add', 'remove', 'failed', 'pending']);
// Compacting rewrites the whole journal: worth it once records nobody needs outnumber the live ones, and are this many.
const MIN_SETTLED_TO_COMPACT = 100;
// Written at an offset of our own, not appended: see FileSaleStore.write.
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT;

/**
 * A SaleStore on a file, for a till running on Node: an append-only journal of JSON lines, each write
 * on disk (fdatasync) before it resolves. Opening replays it, dropping a last line torn by a crash (its
 * write never resolved), and compacts it once settled records dominate (temp file, fsync, rename, fsync
 * of the directory: a crash leaves the old journal or the new one, never neither).
 *
 * Held exclusively: `<path>.lock` names this process, and opening throws while another live process
 * holds it (two till apps never drain the same sales); a lock left by a dead process is taken over.
 * `path`'s directory must exist, on a file system with hard links (any but FAT).
 */
export async function openFileSaleStore(path: string): Promise<SaleStore> {
  const file = resolve(path);
  const lock = await acquireFileLock(`${file}.lock`);
  let handle: FileHandle | undefined;
  try {
    const journal = await readJournal(file);
    handle = await open(file, WRITE_FLAGS);
    if (journal.created) await syncDirectory(file);
    if (journal.tornBytes) {
      // Nothing may follow a torn line: the next record starts where it did.
      await handle.truncate(journal.size);
      await handle.datasync();
    }
    const store = new FileSaleStore(file, handle, lock, journal);
    await store.compactIfSettledDominate();
    return store;
  } catch (error) {
    await handle?.close();
    await lock.release();
    throw error;
  }
}

interface Journal {
  sales: Map<string, QueuedSale>;
  records: number;
  /** Bytes of whole records. */
  size: number;
  /** Bytes after them: what a crash tore. */
  tornBytes: number;
  created: boolean;
}

class FileSaleStore implements SaleStore {
  private readonly sales: Map<string, QueuedSale>;
  private records: number;
  private size: number;
  /** Writes, one after the other, in the order called. */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly file: string,
    private handle: FileHandle,
    private readonly lock: FileLock,
    journal: Journal,
  ) {
    ({ sales: this.sales, records: this.records, size: this.size } = journal);
  }

  async load(): Promise<QueuedSale[]> {
    return [...this.sales.values()];
  }

  append(sale: TillSale): Promise<void> {
    return this.serially(() => this.commit({ op: 'add', sale }));
  }

  remove(ids: readonly string[]): Promise<void> {
    return this.serially(async () => {
      const held = ids.filter((id) => this.sales.has(id));
      if (held.length) await this.commit({ op: 'remove', ids: held });
      await this.compactIfSettledDominate();
    });
  }

  markFailed(id: string, failure: SaleFailure): Promise<void> {
    return this.serially(async () => {
      if (this.sales.has(id)) await this.commit({ op: 'failed', id, failure });
      await this.compactIfSettledDominate();
    });
  }

  markPending(id: string): Promise<void> {
    return this.serially(async () => {
      if (this.sales.get(id)?.failure) await this.commit({ op: 'pending', id });
      await this.compactIfSettledDominate();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    await this.handle.close();
    await this.lock.release();
  }

  /** Rewrites the journal as only what it holds, once settled records dominate it. */
  async compactIfSettledDominate(): Promise<void> {
    const live = liveRecords(this.sales);
    const settled = this.records - live.length;
    if (settled < MIN_SETTLED_TO_COMPACT || settled <= live.length) return;
    const bytes = encode(live);
    const temp = `${this.file}.compacting`;
    // Kept open to write on: once renamed, it is the journal, and no write can go to the replaced one.
    const compacted = await open(temp, 'w');
    try {
      await writeAt(compacted, bytes, 0);
      await compacted.sync();
      await rename(temp, this.file);
    } catch (error) {
      await compacted.close();
      throw error;
    }
    const replaced = this.handle;
    [this.handle, this.records, this.size] = [compacted, live.length, bytes.length];
    await replaced.close();
    await syncDirectory(this.file);
  }

  private serially(write: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.file}: the sale store is closed`));
    const done = this.tail.then(write);
    this.tail = done.catch(() => {});
    return done;
  }

  /** Writes a record to disk, then applies it. */
  private async commit(record: JournalRecord): Promise<void> {
    await this.write(encode([record]));
    this.records++;
    apply(this.sales, record);
  }

  /**
   * At the journal's end as we know it rather than O_APPEND: what a failed write left is overwritten
   * by the next one instead of staying in the middle of the journal.
   */
  private async write(bytes: Buffer): Promise<void> {
    try {
      await writeAt(this.handle, bytes, this.size);
      await this.handle.datasync();
    } catch (error) {
      // So the journal ends at its last whole record again. Should this fail too, the next write
      // still starts at the same offset, over what this one left.
      await this.handle.truncate(this.size).catch(() => {});
      throw error;
    }
    this.size += bytes.length;
  }
}

async function readJournal(file: string): Promise<Journal> {
  const sales = new Map<string, QueuedSale>();
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { sales, records: 0, size: 0, tornBytes: 0, created: true };
  }
  let records = 0;
  let size = 0;
  while (size < bytes.length) {
    const end = bytes.indexOf('\n', size);
    const record = end === -1 ? undefined : parseRecord(bytes.subarray(size, end));
    if (!record) {
      // A crash mid-write tears the last line only: that write never resolved, so dropping it loses nothing.
      if (end === -1 || end === bytes.length - 1) break;
      throw new Error(`${file} is corrupt at byte ${size}: not a journal record, and not the last line`);
    }
    apply(sales, record);
    records++;
    size = end + 1;
  }
  return { sales, records, size, tornBytes: bytes.length - size, created: false };
}

function parseRecord(line: Buffer): JournalRecord | undefined {
  try {
    const record = JSON.parse(line.toString('utf8')) as JournalRecord;
    return OPS.has(record?.op) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** What a record does to the sales held: the same on replay as when it was written. */
function apply(sales: Map<string, QueuedSale>, record: JournalRecord): void {
  switch (record.op) {
    case 'add':
      sales.set(record.sale.id, { sale: record.sale });
      break;
    case 'remove':
      for (const id of record.ids) sales.delete(id);
      break;
    case 'failed':
    case 'pending': {
      const held = sales.get(record.id);
      if (held) sales.set(record.id, record.op === 'failed' ? { sale: held.sale, failure: record.failure } : { sale: held.sale });
    }
  }
}

/** The fewest records that rebuild these sales: each one's add, and its failure if it has one. */
function liveRecords(sales: Map<string, QueuedSale>): JournalRecord[] {
  return [...sales.values()].flatMap(({ sale, failure }): JournalRecord[] =>
    failure
      ? [
          { op: 'add', sale },
          { op: 'failed', id: sale.id, failure },
        ]
      : [{ op: 'add', sale }],
  );
}

function encode(records: JournalRecord[]): Buffer {
  return Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
}

async function writeAt(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let written = 0; written < bytes.length;) {
    written += (await handle.write(bytes, written, bytes.length - written, position + written)).bytesWritten;
  }
}

/** Makes a file's creation or renaming durable: its directory entry is data of the directory. */
async function syncDirectory(file: string): Promise<void> {
  // Windows cannot open a directory, and NTFS journals its entries anyway.
  if (process.platform === 'win32') return;
  const directory = await open(dirname(file), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
