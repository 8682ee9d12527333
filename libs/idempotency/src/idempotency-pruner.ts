import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PrismaService } from '@retail/database';
import { IdempotencyKeys } from './idempotency-keys.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes keys past their retention, at boot and hourly, on every replica: the delete is idempotent, so
 * replicas need no coordination, and a key lives between 24 and 25 hours.
 */
@Injectable()
export class IdempotencyPruner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IdempotencyPruner');
  private readonly keys: IdempotencyKeys;
  private timer?: NodeJS.Timeout;

  constructor(prisma: PrismaService) {
    this.keys = new IdempotencyKeys(prisma);
  }

  onApplicationBootstrap(): void {
    void this.prune();
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async prune(): Promise<void> {
    try {
      const count = await this.keys.prune();
      if (count) this.logger.log(`Pruned ${count} idempotency key(s)`);
    } catch (error) {
      this.logger.warn(`Could not prune idempotency keys: ${(error as Error).message}`);
    }
  }
}
