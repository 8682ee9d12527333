import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// The thread's body. It lowers its own CPU priority to the minimum (on Linux a thread id is a
// process id to setpriority), so under contention the event loop that delivers socket events, and
// the database, get the cores first; an idle machine still hashes at full speed.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcrypt);
try {
  const threadId = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(threadId, 19);
} catch {}
parentPort.on('message', ({ password, hash, cost }) => {
  try {
    parentPort.postMessage({ result: hash === undefined ? bcrypt.hashSync(password, cost) : bcrypt.verifySync(password, hash) });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
});`;

export type HashJob = { password: string; cost: number; hash?: undefined } | { password: string; hash: string; cost?: undefined };

interface Queued {
  job: HashJob;
  done: (outcome: { result?: string | boolean; error?: string }) => void;
}

/**
 * A few threads (half the cores, at least one) running native bcrypt at the lowest priority, started
 * on first use. Jobs beyond the threads wait in order. An idle thread does not keep the process alive.
 */
export class HashingThreads {
  private readonly idle: Worker[] = [];
  private readonly waiting: Queued[] = [];
  /** Each busy thread's job, settled by its answer, or failed by its death. */
  private readonly busy = new Map<Worker, Queued['done']>();
  private started = 0;
  private readonly bcryptPath = createRequire(import.meta.url).resolve('@node-rs/bcrypt');

  constructor(private readonly size = Math.max(1, Math.floor(availableParallelism() / 2))) {}

  run<T extends string | boolean>(job: HashJob): Promise<T> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, done: ({ result, error }) => (error === undefined ? resolve(result as T) : reject(new Error(error))) });
      this.dispatch();
    });
  }

  private dispatch() {
    if (!this.waiting.length) return;
    const worker = this.idle.pop() ?? (this.started < this.size ? this.spawn() : undefined);
    if (!worker) return;
    const { job, done } = this.waiting.shift()!;
    this.busy.set(worker, done);
    worker.ref();
    worker.postMessage(job);
  }

  /** The thread's job is over, one way or the other: settle it, and hand the thread (if alive) the next. */
  private finish(worker: Worker, outcome: { result?: string | boolean; error?: string }, alive: boolean) {
    const done = this.busy.get(worker);
    this.busy.delete(worker);
    worker.unref();
    if (alive) this.idle.push(worker);
    done?.(outcome);
    this.dispatch();
  }

  private spawn(): Worker {
    this.started++;
    const worker = new Worker(THREAD, { eval: true, workerData: { bcrypt: this.bcryptPath } });
    worker.on('message', (outcome) => this.finish(worker, outcome, true));
    // A thread that dies (an error, or an exit) fails its job, leaves the pool, and is replaced by the next dispatch.
    let failure = 'the hashing thread exited';
    worker.on('error', (error) => (failure = error.message)); // 'exit' follows
    worker.once('exit', () => {
      this.started--;
      const idleAt = this.idle.indexOf(worker);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      this.finish(worker, { error: failure }, false);
    });
    worker.unref();
    return worker;
  }
}
