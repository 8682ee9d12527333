export { DatabaseModule } from './database.module.js';
export { PrismaService } from './prisma.service.js';
export { afterCommit, TransactionRunner, type TransactionOptions } from './transaction-runner.js';
export type { Db, Tx } from './transaction.js';
