import { availableParallelism } from 'node:os';
import { AppError } from '@retail/common';
import { Piscina } from 'piscina';

/**
 * Who is hashing. `login`: sign-in (a login's compare, a user's own password). `admin`: an admin
 * setting someone's password. Each lane has threads and a queue of its own, so an admin creating
 * users never holds up any company's logins on the replica, and the reverse.
 */
export type HashingLane = 'login' | 'admin';

/** `concurrency` hashes at once on as many threads, `queue` more waiting; past that a hash is refused at once. */
export interface LaneLimits {
  concurrency: number;
  queue: number;
}

export type HashTask = { password: string; cost: number; hash?: undefined } | { password: string; hash: string; cost?: undefined };

const BUSY: Record<HashingLane, { code: string; message: string }> = {
  login: { code: 'login_busy', message: 'Too many logins at once on this server, retry shortly' },
  admin: { code: 'admin_hashing_busy', message: 'Too many passwords being set at once on this server, retry shortly' },
};

/** `503` with the lane's code and `Retry-After: 1`: the lane is full, a retry in a second will likely pass. */
export const hashingBusy = (lane: HashingLane) => new AppError(503, BUSY[lane].code, BUSY[lane].message).retryAfter(1);

const HASH_TASK = new URL('../threads/bcrypt.mjs', import.meta.url).href;
/** The lowest CPU priority (Linux: per thread): under contention the event loop and the database get the cores first. */
const LOWEST_PRIORITY = 19;

/**
 * One lane: a piscina pool of `concurrency` threads, started on its first hash (threads that are
 * idle keep no process alive). It admits at most `concurrency + queue` hashes itself rather than
 * through piscina's `maxQueue`, which piscina 5 ignores for tasks given an AbortSignal and which,
 * at 0, refuses a task and still runs it later.
 */
class Lane {
  private pending = 0;
  private pool?: Piscina<HashTask, string | boolean>;

  constructor(
    private readonly name: HashingLane,
    readonly limits: LaneLimits,
  ) {}

  get started() {
    return this.pool !== undefined;
  }

  async run<T extends string | boolean>(task: HashTask): Promise<T> {
    if (this.pending >= this.limits.concurrency + this.limits.queue) throw hashingBusy(this.name);
    this.pending++;
    try {
      return (await this.threads().run(task)) as T;
    } finally {
      this.pending--;
    }
  }

  /** The lane's pool, started on first use. */
  threads(): Piscina<HashTask, string | boolean> {
    if (!this.pool) {
      const { concurrency } = this.limits;
      this.pool = new Piscina({ filename: HASH_TASK, minThreads: concurrency, maxThreads: concurrency, niceIncrement: LOWEST_PRIORITY });
      // A thread that dies while idle is replaced; piscina reports it as an 'error', which must not crash the process.
      this.pool.on('error', (error: Error) => process.emitWarning(`A ${this.name} hashing thread died: ${error.message}`));
    }
    return this.pool;
  }
}

/** Until configured (the seed, in-process tests): the same limits as the environment's defaults. */
let lanes = createLanes({
  login: { concurrency: Math.max(1, Math.floor(availableParallelism() / 2)), queue: 16 },
  admin: { concurrency: 1, queue: 8 },
});

function createLanes(limits: Record<HashingLane, LaneLimits>): Record<HashingLane, Lane> {
  return { login: new Lane('login', limits.login), admin: new Lane('admin', limits.admin) };
}

/** Sets every lane's limits; once, at boot, before the first hash. */
export function configureHashingLanes(limits: Record<HashingLane, LaneLimits>): void {
  if (Object.values(lanes).some((lane) => lane.started)) throw new Error('Configure the hashing lanes before the first hash');
  lanes = createLanes(limits);
}

export const hashingLane = (lane: HashingLane): Lane => lanes[lane];
