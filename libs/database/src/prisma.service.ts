import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaClient } from './generated/client.js';
import type { OpenedDriverAdapter } from './driver-adapter.js';

/**
 * The one database client. Backed by PostgreSQL (adapter-pg) when DATABASE_URI is set,
 * otherwise by embedded PGlite; both run the same schema and migrations.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(readonly driver: OpenedDriverAdapter) {
    super({ adapter: driver.factory });
  }

  get kind() {
    return this.driver.kind;
  }

  /** The statements sent through this client so far (see StatementCounts). */
  get statements() {
    return this.driver.statements;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.driver.close();
  }
}
