import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { AppConfig } from '@retail/config';
import { RedisConnections } from '@retail/redis';
import { AlertLifecycle } from '../alerts/alert-lifecycle.service.js';
import { AlertSweepService } from './alert-sweep.service.js';
import { TillOfflineAlerts } from './till-offline-alerts.service.js';

const QUEUE = 'alert-sweeps';
const SWEEP = 'alert-sweep';
const ESCALATION = 'alert-escalation';
const TILLS_OFFLINE = 'tills-offline';
// A store's offline delay is 30 s at the least: a check every 10 s at most keeps its alert within a third of that late.
const TILLS_OFFLINE_CHECK_MS = 10_000;

/** Escalation timers are checked about five times per shortest escalation delay, 1 to 60 s apart. */
export const escalationCheckMs = (escalateAfterSeconds: { ALERT: number; WARNING: number }) =>
  Math.min(60_000, Math.max(1000, (Math.min(escalateAfterSeconds.ALERT, escalateAfterSeconds.WARNING) * 1000) / 5));

/**
 * Runs, each once per cluster: the alert sweep (expiry, overdue counts) every ALERT_SWEEP_INTERVAL_MS,
 * the check for tills offline while their store is open at least every 10 s, and the escalation of
 * alerts nobody acknowledged (escalationCheckMs).
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
  private timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
    private readonly sweep: AlertSweepService,
    private readonly lifecycle: AlertLifecycle,
    private readonly tillOffline: TillOfflineAlerts,
  ) {}

  /** Each job: its id (the BullMQ scheduler id and job name), how often, and what it runs. */
  private jobs() {
    return [
      { id: SWEEP, every: this.config.alerts.sweepIntervalMs, run: () => this.sweep.sweepOnce() },
      {
        id: TILLS_OFFLINE,
        every: Math.min(TILLS_OFFLINE_CHECK_MS, this.config.alerts.sweepIntervalMs),
        run: () => this.tillOffline.sweepOnce(),
      },
      { id: ESCALATION, every: escalationCheckMs(this.config.alerts.escalateAfterSeconds), run: () => this.lifecycle.escalateDue() },
    ];
  }

  onApplicationBootstrap(): void {
    const jobs = this.jobs();
    if (!this.redis.enabled) {
      this.timers = jobs.map((job) => setInterval(() => this.runInProcess(job.id, job.run), job.every));
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
      for (const { id, every } of jobs) {
        queue
          .upsertJobScheduler(id, { every }, { name: id, opts: { removeOnComplete: 100, removeOnFail: 100 } })
          .catch((error: Error) => this.logger.warn(`Could not schedule ${id}: ${error.message}`));
      }
    });
    // Several at once per worker, so a long sweep never holds up the others (each job is still one at a time: runOnce).
    const byName = new Map(jobs.map((job) => [job.id, job.run]));
    this.worker = new Worker(QUEUE, (job) => this.runOnce(job.name, byName.get(job.name) ?? byName.get(SWEEP)!), {
      connection,
      prefix,
      concurrency: jobs.length,
    });
    this.worker.on('failed', (job, error) => this.logger.error(`${job?.name ?? 'Alert sweep'} failed: ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`Alert sweep worker: ${error.message}`));
  }

  /** Before RedisConnections and Prisma shut down: lets a running sweep finish, then stops. */
  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.running.values()].map((run) => run.catch(() => undefined)));
    // Forced: the sweep is done, and a graceful close would also wait for BullMQ to record the job in
    // Redis, which never ends while Redis is down or came back without the job.
    await this.worker?.close(true);
    await this.queue?.close();
  }

  /** One run of a job, tracked so shutdown can wait for it; a job still running is not overlapped by its next tick. */
  private runOnce(id: string, run: () => Promise<unknown>): Promise<unknown> {
    const running = this.running.get(id);
    if (running) return running;
    const started = run().finally(() => this.running.delete(id));
    this.running.set(id, started);
    return started;
  }

  private runInProcess(id: string, run: () => Promise<unknown>) {
    this.runOnce(id, run).catch((error: Error) => this.logger.error(`${id} failed: ${error.message}`));
  }
}
