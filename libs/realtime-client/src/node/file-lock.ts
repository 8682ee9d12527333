import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';

/** An exclusive lock on a file; release() gives it up. */
export interface FileLock {
  release(): Promise<void>;
}

/** Locks taken by this process: its pid in a lock file does not tell one of them from a lock left by an earlier process with the same pid. */
const heldHere = new Set<string>();
// Each attempt either takes the lock, finds it held, or clears a stale one: a few are plenty.
const ATTEMPTS = 5;

/**
 * Takes `lockPath` for this process, across processes: the file holds the holder's pid. A lock whose
 * holder is gone (its pid is not alive: a crash, a power cut) is taken over. Throws when another live
 * process holds it. A pid recycled by an unrelated process after a reboot looks alive: remove such a
 * lock file by hand.
 */
export async function acquireFileLock(lockPath: string): Promise<FileLock> {
  if (heldHere.has(lockPath)) throw new Error(`${lockPath} is already held by this process`);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusive(lockPath)) {
      heldHere.add(lockPath);
      return {
        release: async () => {
          heldHere.delete(lockPath);
          await rm(lockPath, { force: true });
        },
      };
    }
    const holder = await readFile(lockPath, 'utf8').catch(ifMissing(undefined));
    // Gone since: try again.
    if (holder === undefined) continue;
    const pid = Number(holder);
    if (pid !== process.pid && isAlive(pid)) throw new Error(`${lockPath} is held by process ${pid}`);
    await removeStale(lockPath, holder);
  }
  throw new Error(`could not take ${lockPath}: it keeps changing hands`);
}

/**
 * Creates the lock, failing if it exists. Written aside and hard-linked into place: link(2) fails on
 * an existing name as open(O_CREAT | O_EXCL) does, and the lock appears with its pid already in it, so
 * no one ever reads a live lock empty.
 */
async function createExclusive(lockPath: string): Promise<boolean> {
  const draft = `${lockPath}.${process.pid}.draft`;
  await writeFile(draft, String(process.pid));
  try {
    await link(draft, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Removes a stale lock, unless another process took it over since it was read: moved aside first, and
 * put back if it is no longer the stale one. Deleting it outright could delete a fresh lock instead.
 */
async function removeStale(lockPath: string, stale: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}.stale`;
  const moved = await rename(lockPath, aside).then(() => true, ifMissing(false));
  if (!moved) return;
  // Put back unless yet another lock was made meanwhile: then that one stands.
  if ((await readFile(aside, 'utf8')) !== stale) await link(aside, lockPath).catch(() => {});
  await rm(aside, { force: true });
}

/** Whether a process with this pid runs; anything not a pid (an empty lock from a power cut) is not alive. */
function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A catch handler answering `value` for a file that does not exist, rethrowing anything else. */
function ifMissing<T>(value: T) {
  return (error: unknown): T => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return value;
    throw error;
  };
}
