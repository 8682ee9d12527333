import { Injectable, Logger } from '@nestjs/common';
import type { Prisma } from './generated/client.js';
import { PrismaService } from './prisma.service.js';
import type { Tx } from './transaction.js';

type Hook = () => unknown;
const afterCommitHooks = new WeakMap<object, Hook[]>();

export interface TransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  timeout?: number;
  maxWait?: number;
}

/**
 * Runs an interactive transaction and, only once it has committed, the hooks registered on it
 * with `afterCommit` (e.g. realtime events). A rolled-back transaction runs none of them.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger('TransactionRunner');

  constructor(private readonly prisma: PrismaService) {}

  async run<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const hooks: Hook[] = [];
    const result = await this.prisma.$transaction(
      async (tx) => {
        afterCommitHooks.set(tx, hooks);
        return work(tx);
      },
      { maxWait: 10_000, timeout: 20_000, ...options },
    );
    for (const hook of hooks) {
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

/** Defers `hook` until `tx` commits. `tx` must come from TransactionRunner.run. */
export function afterCommit(tx: Tx, hook: Hook): void {
  const hooks = afterCommitHooks.get(tx);
  if (!hooks) throw new Error('afterCommit needs a transaction opened by TransactionRunner.run');
  hooks.push(hook);
}
