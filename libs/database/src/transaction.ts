import type { Prisma } from './generated/client.js';
import type { PrismaService } from './prisma.service.js';

/** An open interactive transaction. Domain services hand it to the realtime facade. */
export type Tx = Prisma.TransactionClient;

/** Either the root client or a transaction: code that may run inside a caller's transaction accepts both. */
export type Db = PrismaService | Tx;
