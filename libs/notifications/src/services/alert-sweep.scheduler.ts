import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { AppConfig } from '@retail/config';
import { RedisConnections } from '@retail/redis';
import { AlertSweepService } from './alert-sweep.service.js';

const QUEUE = 'alert-sweeps';
const SCHEDULER_ID = 'alert-sweep';

/**
 * Runs the alert sweep every ALERT_SWEEP_INTERVAL_MS, once per cluster.
 * With Redis: a BullMQ job scheduler. Every replica upserts the same scheduler id, so Redis holds
 * one schedule, and each tick's job is taken by exactly one replica's worker.
 * Without Redis (single node): this process is the whole cluster, so a plain interval.
 */
@Injectable()
export class AlertSweepScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AlertSweepScheduler');
  private queue?: Queue;
  private worker?: Worker;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
    private readonly sweep: AlertSweepService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.alerts.sweepIntervalMs;
    if (!this.redis.enabled) {
      this.timer = setInterval(() => this.runInProcess(), every);
      return;
    }
    // BullMQ needs maxRetriesPerRequest: null; the worker duplicates this connection for its blocking reads.
    const connection = this.redis.create('alert-sweeps', { maxRetriesPerRequest: null });
    const prefix = `${this.redis.keyPrefix}:bull`;
    this.queue = new Queue(QUEUE, { connection, prefix });
    await this.queue.upsertJobScheduler(SCHEDULER_ID, { every }, { name: 'sweep', opts: { removeOnComplete: 100, removeOnFail: 100 } });
    this.worker = new Worker(QUEUE, () => this.sweep.sweepOnce(), { connection, prefix, concurrency: 1 });
    this.worker.on('failed', (_job, error) => this.logger.error(`Alert sweep failed: ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`Alert sweep worker: ${error.message}`));
  }

  /** Before RedisConnections and Prisma shut down: lets a running sweep finish, then stops. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.worker?.close();
    await this.queue?.close();
  }

  private runInProcess() {
    if (this.running) return; // a slow sweep is not overlapped by the next tick
    this.running = this.sweep
      .sweepOnce()
      .catch((error: Error) => this.logger.error(`Alert sweep failed: ${error.message}`))
      .finally(() => (this.running = undefined));
  }
}
