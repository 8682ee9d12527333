import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@retail/config';
import type { DeviceReportCommand, DeviceStatusPayload, PresenceStatus } from '@retail/realtime-protocol';
import { RedisConnections } from '@retail/redis';
import { RealtimeService } from '../realtime.service.js';
import { LocalPresence, type PresenceFields } from './local-presence.js';
import { CONNECT, DISCONNECT, SWEEP } from './presence-scripts.js';

// Each replica renews its heartbeat on every sweep; one silent this long is dead, and its tills' sockets are reaped.
const SWEEP_MS = 2_000;
const REPLICA_TTL_MS = 15_000;
// A record untouched this long is dropped: longer than any session (SESSION_MAX_DAYS is at most 365, 30 by default) would rarely be.
const RECORD_TTL_SECONDS = 35 * 24 * 3600;

/** A till's presence as the domain reads it. A till never seen has none. */
export interface TillPresenceRecord {
  deviceId: string;
  workspaceId: string;
  status: PresenceStatus;
  since: Date | null;
  lastSeenAt: Date | null;
  appVersion: string | null;
  pendingSales: number | null;
  oldestPendingAt: string | null;
  catalogVersion: number | null;
}

/** A socket of a till, as presence knows it. */
export interface TillSocket {
  socketId: string;
  deviceId: string;
  workspaceId: string;
  companyId: string;
  appVersion?: string;
}

export type TillStatusListener = (change: DeviceStatusPayload) => unknown;
type PresenceWrite = 'register' | 'unregister';

/**
 * Which tills are online, cluster-wide, in Redis (presence-scripts.ts), so that it survives any
 * one replica. A socket's connect and disconnect are one script each; nothing runs per socket
 * otherwise (no fetchSockets, no per-till heartbeat): each replica renews one heartbeat of its
 * own, and its sweep reaps the sockets of replicas that died and ends the grace of tills that did
 * not come back. `pos.device.status` goes out only when a till's status changes. Domain code reads
 * presence (`read`, `offlineSince`) and hears of changes (`onStatusChange`) through this facade.
 * Without Redis (a single node) the same records live in this process's memory (LocalPresence).
 */
@Injectable()
export class TillPresence implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TillPresence');
  private readonly replicaId = randomUUID();
  /** This replica's till sockets: re-registered if Redis forgot them (restarted, or reaped this replica during an outage). */
  private readonly local = new Map<string, TillSocket>();
  /** Each socket's registration, so its removal runs after it. */
  private readonly joined = new Map<string, Promise<void>>();
  /** Each socket's last write that failed (Redis down): the sweep tries it again, so no till stays wrongly online or offline. */
  private readonly retries = new Map<string, { what: PresenceWrite; command: () => Promise<unknown> }>();
  private readonly listeners: TillStatusListener[] = [];
  /** Presence itself when there is no Redis. */
  private readonly inMemory = new LocalPresence();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
    private readonly realtime: RealtimeService,
  ) {}

  private get inRedis(): boolean {
    return this.redis.enabled;
  }

  private get base(): string {
    return `${this.redis.keyPrefix}:{presence}`;
  }

  private key(kind: 'dev' | 'conns' | 'replica', id: string): string {
    return `${this.base}:${kind}:${id}`;
  }

  /** The first sweep before any socket connects: this replica's heartbeat is known before its sockets are. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.inRedis) {
      this.timer = setInterval(() => this.inMemory.sweep(Date.now()).forEach((fields) => this.announce(fields)), SWEEP_MS).unref();
      return;
    }
    this.sweepInBackground();
    await this.sweeping;
    this.timer = setInterval(() => this.sweepInBackground(), SWEEP_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Domain code hears here when a till went online or offline (on the one replica that saw it change). */
  onStatusChange(listener: TillStatusListener): void {
    this.listeners.push(listener);
  }

  /** A till's socket connected: the till is online (an event, unless it was online or in grace already). */
  connected(socket: TillSocket): void {
    this.local.set(socket.socketId, socket);
    if (!this.inRedis) {
      const came = this.inMemory.connect(socket, Date.now());
      if (came) this.announce(came);
      return;
    }
    this.joined.set(socket.socketId, this.register(socket));
  }

  /** A till's socket is gone: when it was the last, the till enters its grace (PRESENCE_GRACE_SECONDS). */
  disconnected(socketId: string): void {
    const socket = this.local.get(socketId);
    if (!socket) return;
    this.local.delete(socketId);
    if (!this.inRedis) return this.inMemory.disconnect(socket, Date.now(), this.config.presence.graceMs);
    const registered = this.joined.get(socketId);
    this.joined.delete(socketId);
    void registered?.then(() =>
      this.write(socketId, 'unregister', () =>
        this.redis.client.eval(
          DISCONNECT,
          3,
          this.key('dev', socket.deviceId),
          this.key('conns', socket.deviceId),
          `${this.base}:pending`,
          this.member(socketId),
          socket.deviceId,
          Date.now(),
          this.config.presence.graceMs,
        ),
      ),
    );
  }

  /** What a till says of itself: kept on its record, no event. */
  async report(deviceId: string, report: DeviceReportCommand): Promise<void> {
    const fields: PresenceFields = Object.fromEntries(
      Object.entries({ ...report, lastSeenAt: Date.now() }).flatMap(([field, value]) =>
        value === undefined ? [] : [[field, value === null ? '' : String(value)]],
      ),
    );
    if (!this.inRedis) return this.inMemory.report(deviceId, fields);
    await this.redis.client.hset(this.key('dev', deviceId), fields);
  }

  /** The presence of each of these tills that was ever seen. */
  async read(deviceIds: string[]): Promise<Map<string, TillPresenceRecord>> {
    if (!deviceIds.length) return new Map();
    const records = new Map<string, TillPresenceRecord>();
    const found = this.inRedis ? await this.readFromRedis(deviceIds) : this.inMemory.read(deviceIds);
    found.forEach((fields, i) => {
      const record = fields && toRecord(fields);
      if (record) records.set(deviceIds[i], record);
    });
    return records;
  }

  private async readFromRedis(deviceIds: string[]): Promise<PresenceFields[]> {
    const pipeline = this.redis.client.pipeline();
    for (const id of deviceIds) pipeline.hgetall(this.key('dev', id));
    return ((await pipeline.exec()) ?? []).map(([error, fields]) => {
      if (error) throw error;
      return fields as PresenceFields;
    });
  }

  /** Tills offline since before `before`, with since when: what the offline alert looks at. */
  async offlineSince(before: Date): Promise<Array<{ deviceId: string; since: Date }>> {
    if (!this.inRedis) return this.inMemory.offlineSince(before.getTime());
    const flat = await this.redis.client.zrangebyscore(`${this.base}:offline`, '-inf', before.getTime(), 'WITHSCORES');
    const tills: Array<{ deviceId: string; since: Date }> = [];
    for (let i = 0; i < flat.length; i += 2) tills.push({ deviceId: flat[i], since: new Date(Number(flat[i + 1])) });
    return tills;
  }

  /** One pass, run by every replica every SWEEP_MS: the scripts make each change happen once. */
  async sweep(): Promise<void> {
    const now = Date.now();
    const [rejoined, changed] = (await this.redis.client.eval(
      SWEEP,
      3,
      `${this.base}:replicas`,
      `${this.base}:pending`,
      `${this.base}:offline`,
      now,
      this.replicaId,
      now + REPLICA_TTL_MS,
      this.config.presence.graceMs,
      this.base,
      REPLICA_TTL_MS,
      RECORD_TTL_SECONDS,
    )) as [number, string[][]];
    for (const flat of changed) this.announce(fieldsOf(flat));
    for (const [socketId, { what, command }] of [...this.retries]) {
      // A socket gone since its registration failed is not registered now.
      if (what === 'register' && !this.local.has(socketId)) this.retries.delete(socketId);
      else await this.write(socketId, what, command);
    }
    if (rejoined) await this.registerAllAgain();
  }

  private sweepInBackground(): void {
    if (this.sweeping) return;
    this.sweeping = this.sweep()
      .catch((error: Error) => this.logger.warn(`presence sweep failed: ${error.message}`))
      .finally(() => (this.sweeping = undefined));
  }

  private register(socket: TillSocket): Promise<void> {
    return this.write(socket.socketId, 'register', async () => {
      const now = Date.now();
      const [unknown, came] = (await this.redis.client.eval(
        CONNECT,
        6,
        this.key('dev', socket.deviceId),
        this.key('conns', socket.deviceId),
        this.key('replica', this.replicaId),
        `${this.base}:pending`,
        `${this.base}:offline`,
        `${this.base}:replicas`,
        this.member(socket.socketId),
        socket.deviceId,
        now,
        socket.workspaceId,
        socket.companyId,
        socket.appVersion ?? '',
        RECORD_TTL_SECONDS,
        this.replicaId,
        now + REPLICA_TTL_MS,
      )) as [number, string[]];
      if (came.length) this.announce(fieldsOf(came));
      if (unknown) void this.registerAllAgain();
    });
  }

  /** Redis did not know this replica (restarted, or reaped during an outage): every till socket it holds is registered again. */
  private async registerAllAgain(): Promise<void> {
    this.logger.log(`Redis did not know this replica: registering its ${this.local.size} till socket(s) again`);
    await Promise.all([...this.local.values()].map((socket) => this.register(socket)));
  }

  private member(socketId: string): string {
    return `${this.replicaId}|${socketId}`;
  }

  /** The event, to the till's store, then the domain's listeners. */
  private announce(fields: PresenceFields): void {
    const record = toRecord(fields);
    if (!record) return;
    const change: DeviceStatusPayload = {
      companyId: fields.companyId,
      workspaceId: record.workspaceId,
      deviceId: record.deviceId,
      status: record.status,
      since: (record.since ?? new Date()).toISOString(),
      lastSeenAt: (record.lastSeenAt ?? new Date()).toISOString(),
      pendingSales: record.pendingSales,
    };
    this.realtime.emit('posDeviceStatus', change, { tx: null });
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(change))
        .catch((error: Error) => this.logger.error(`till status listener failed: ${error.message}`));
    }
  }

  /** Presence never fails a connection: with Redis down, the write is logged and left for the sweep to try again. */
  private async write(socketId: string, what: PresenceWrite, command: () => Promise<unknown>): Promise<void> {
    this.retries.delete(socketId);
    try {
      await command();
    } catch (error) {
      this.retries.set(socketId, { what, command });
      this.logger.warn(`presence ${what} failed, to be tried again: ${(error as Error).message}`);
    }
  }
}

/** A hash as a script's HGETALL answers it, [field, value, field, value, …], as an object. */
const fieldsOf = (flat: string[]): PresenceFields => Object.fromEntries(flat.flatMap((_, i) => (i % 2 ? [] : [[flat[i], flat[i + 1]]])));
const time = (value: string | undefined) => (value ? new Date(Number(value)) : null);
const count = (value: string | undefined) => (value ? Number(value) : null);

function toRecord(fields: PresenceFields): TillPresenceRecord | null {
  if (!fields.deviceId || !fields.workspaceId) return null;
  return {
    deviceId: fields.deviceId,
    workspaceId: fields.workspaceId,
    status: fields.status === 'online' ? 'online' : 'offline',
    since: time(fields.since),
    lastSeenAt: time(fields.lastSeenAt),
    appVersion: fields.appVersion || null,
    pendingSales: count(fields.pendingSales),
    oldestPendingAt: fields.oldestPendingAt || null,
    catalogVersion: count(fields.catalogVersion),
  };
}
