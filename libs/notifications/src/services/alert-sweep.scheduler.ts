import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { AppConfig } from '@retail/config';
import { RedisConnections } from '@retail/redis';
import { AlertSweepService } from './alert-sweep.service.js';
import { TillOfflineAlerts } from './till-offline-alerts.service.js';

const QUEUE = 'alert-sweeps';
const SCHEDULER_ID = 'alert-sweep';

/**
 * Runs the alert sweeps (expiry and overdue counts, tills offline) every ALERT_SWEEP_INTERVAL_MS, once per cluster.
 * With Redis: a BullMQ job scheduler. Every replica upserts the same scheduler id, so Redis holds
 * one schedule, and each tick's job is taken by exactly one replica's worker. While Redis is down
 * no sweep runs; the schedule is upserted again when it returns.
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
    private readonly tillOffline: TillOfflineAlerts,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.alerts.sweepIntervalMs;
    if (!this.redis.enabled) {
      this.timer = setInterval(() => this.runInProcess(), every);
      return;
    }
    // BullMQ needs maxRetriesPerRequest: null; the worker duplicates this connection for its blocking reads.
    const connection = this.redis.create('alert-sweeps', { maxRetriesPerRequest: null });
    // On a Redis Cluster BullMQ's scripts touch several keys of a queue at once: one hash tag keeps them in one slot.
    const prefix = this.redis.cluster ? `{${this.redis.keyPrefix}:bull}` : `${this.redis.keyPrefix}:bull`;
    const queue = (this.queue = new Queue(QUEUE, { connection, prefix }));
    queue.on('error', (error) => this.logger.warn(`Alert sweep queue: ${error.message}`));
    // The schedule lives in Redis: (re)create it whenever this connection becomes ready, at boot or
    // after Redis comes back (perhaps empty, having lost it). Boot does not wait for Redis.
    connection.on('ready', () => {
      queue
        .upsertJobScheduler(SCHEDULER_ID, { every }, { name: 'sweep', opts: { removeOnComplete: 100, removeOnFail: 100 } })
        .catch((error: Error) => this.logger.warn(`Could not schedule the alert sweep: ${error.message}`));
    });
    this.worker = new Worker(QUEUE, () => this.runOnce(), { connection, prefix, concurrency: 1 });
    this.worker.on('failed', (_job, error) => this.logger.error(`Alert sweep failed: ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`Alert sweep worker: ${error.message}`));
  }

  /** Before RedisConnections and Prisma shut down: lets a running sweep finish, then stops. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    // Forced: the sweep is done, and a graceful close would also wait for BullMQ to record the job in
    // Redis, which never ends while Redis is down or came back without the job.
    await this.worker?.close(true);
    await this.queue?.close();
  }

  /** One sweep of each kind, tracked so shutdown can wait for them (BullMQ runs one at a time per worker). */
  private runOnce(): Promise<unknown> {
    this.running = Promise.all([this.sweep.sweepOnce(), this.tillOffline.sweepOnce()]).finally(() => (this.running = undefined));
    return this.running;
  }

  private runInProcess() {
    if (this.running) return; // a slow sweep is not overlapped by the next tick
    this.runOnce().catch((error: Error) => this.logger.error(`Alert sweep failed: ${error.message}`));
  }
}
