import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import type { Prisma } from './generated/client.js';
import { PrismaService } from './prisma.service.js';
import type { Tx } from './transaction.js';

type AfterCommitHook = () => unknown;
type BeforeCommitHook = (tx: Tx) => Promise<unknown>;
interface Hooks {
  beforeCommit: BeforeCommitHook[];
  afterCommit: AfterCommitHook[];
}
const hooksOf = new WeakMap<object, Hooks>();

/** Joins a transaction: `start` runs before its work, `finish` with the work's result just before it commits. */
export interface FirstTransactionStep {
  start(tx: Tx): Promise<unknown>;
  finish(tx: Tx, result: unknown): Promise<unknown>;
}
// One slot per withFirstTransactionStep() call; the first transaction opened in it takes the step.
const firstTransactionSlot = new AsyncLocalStorage<{ step?: FirstTransactionStep }>();

export interface TransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  timeout?: number;
  maxWait?: number;
}

/**
 * Runs an interactive transaction with two kinds of hooks registered on it:
 * - `beforeCommit`: run inside the transaction once the work is done, in order; a failing hook
 *   rolls everything back (e.g. writing the realtime outbox rows of the change);
 * - `afterCommit`: run only once it has committed; a rolled-back transaction runs none of them.
 * Inside withFirstTransactionStep(), the first transaction is also joined by that step.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger('TransactionRunner');

  constructor(private readonly prisma: PrismaService) {}

  async run<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const hooks: Hooks = { beforeCommit: [], afterCommit: [] };
    const slot = firstTransactionSlot.getStore();
    const step = slot?.step;
    if (slot) slot.step = undefined;
    const result = await this.prisma
      .$transaction(
        async (tx) => {
          hooksOf.set(tx, hooks);
          await step?.start(tx);
          const value = await work(tx);
          if (step) beforeCommit(tx, () => step.finish(tx, value));
          // A hook may register another one: run until none is left.
          for (let hook = hooks.beforeCommit.shift(); hook; hook = hooks.beforeCommit.shift()) await hook(tx);
          return value;
        },
        { maxWait: 10_000, timeout: 20_000, ...options },
      )
      .catch((error: unknown) => {
        if (slot && step) slot.step = step; // rolled back: the next transaction takes the step instead
        throw error;
      });
    for (const hook of hooks.afterCommit) {
      try {
        await hook();
      } catch (error) {
        // The change is committed; a failing side effect must not turn the request into an error.
        this.logger.error(`after-commit hook failed: ${(error as Error).message}`);
      }
    }
    return result;
  }
}

function hooksFor(tx: Tx, name: string): Hooks {
  const hooks = hooksOf.get(tx);
  if (!hooks) throw new Error(`${name} needs a transaction opened by TransactionRunner.run`);
  return hooks;
}

/** Defers `hook` until `tx` commits. `tx` must come from TransactionRunner.run. */
export function afterCommit(tx: Tx, hook: AfterCommitHook): void {
  hooksFor(tx, 'afterCommit').afterCommit.push(hook);
}

/** Runs `hook` inside `tx` just before it commits; if it throws, the transaction rolls back. */
export function beforeCommit(tx: Tx, hook: BeforeCommitHook): void {
  hooksFor(tx, 'beforeCommit').beforeCommit.push(hook);
}

/**
 * Runs `work`; the first transaction it opens through TransactionRunner.run is joined by `step`,
 * so whatever the step writes commits or rolls back with the change. If that transaction rolls
 * back, the next one takes the step. (The idempotency interceptor records a command's key and
 * answer this way.)
 */
export function withFirstTransactionStep<T>(step: FirstTransactionStep, work: () => Promise<T>): Promise<T> {
  return firstTransactionSlot.run({ step }, work);
}
