import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { EVENTS, Rooms } from '@retail/realtime-protocol';
import { ack, connectSocket, record, sleep, storeWithTills, until } from '@retail/testing';
import { pool } from './pool.js';

export interface PresenceResult {
  tills: number;
  replicas: number;
  /** Seconds from the first connect to the last till's online event on a dashboard. */
  connectSeconds: number;
  onlineEvents: number;
  /** Presence scripts run per till connect (the EVALs beyond the socket cap's one per handshake). */
  commandsPerConnect: number;
  /** Every Redis command per second while the tills sit online, and those of presence (its sweeps). */
  idleCommandsPerSecond: number;
  idlePresenceCommandsPerSecond: number;
  idleSeconds: number;
  /** Bytes of presence state in Redis per till online (MEMORY USAGE of its keys). */
  redisBytesPerTill: number;
}

/** Counts from INFO: every command, and the EVALs (the presence scripts and the socket cap). */
async function commandCounts(redis: Redis) {
  const stats = await redis.info('stats');
  const commands = await redis.info('commandstats');
  const total = Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0);
  const evals = Number(/cmdstat_eval:calls=(\d+)/.exec(commands)?.[1] ?? 0);
  return { total, evals };
}

async function presenceBytes(redis: Redis, prefix: string): Promise<number> {
  let bytes = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:{presence}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) bytes += (await redis.memory('USAGE', key)) ?? 0;
  } while (cursor !== '0');
  return bytes;
}

/**
 * `tills` tills of a new store connect over the replicas (one socket each, as a till has); a
 * dashboard counts their online events. Then they sit online for `idleSeconds`: Redis' commands
 * per second then are the steady cost of presence (no per-till heartbeat), and the presence keys'
 * size per till its memory.
 */
export async function measurePresence(options: {
  apiUrl: string;
  wsUrls: string[];
  databaseUri: string;
  redisUrl: string;
  redisPrefix: string;
  /** A company ADMIN's token: makes the store, watches it, and signs for its tills. */
  admin: string;
  tills: number;
  idleSeconds: number;
}): Promise<PresenceResult> {
  const { apiUrl, wsUrls, admin, tills } = options;
  const redis = new Redis(options.redisUrl);
  const sockets: Socket[] = [];
  try {
    const { store, tills: made } = await storeWithTills(apiUrl, admin, options.databaseUri, tills);
    const dashboard = await connectSocket(wsUrls[0], 'pos', admin);
    sockets.push(dashboard);
    const events = record(dashboard, EVENTS.posDeviceStatus.name);
    await ack(dashboard, 'subscribe', { room: Rooms.workspace(store) });

    const before = await commandCounts(redis);
    const startedAt = performance.now();
    await pool(tills, 50, async (i) => void sockets.push(await connectSocket(wsUrls[i % wsUrls.length], 'pos', made[i].token)));
    await until('every till online on the dashboard', () => events.length >= tills, 120_000);
    const connectSeconds = (performance.now() - startedAt) / 1000;
    const connected = await commandCounts(redis);

    await sleep(options.idleSeconds * 1000);
    const idle = await commandCounts(redis);
    const redisBytes = await presenceBytes(redis, options.redisPrefix);
    const tillPresenceEvals = connected.evals - before.evals - tills; // one socket-cap EVAL per handshake
    return {
      tills,
      replicas: wsUrls.length,
      connectSeconds,
      onlineEvents: events.length,
      commandsPerConnect: tillPresenceEvals / tills,
      idleCommandsPerSecond: (idle.total - connected.total) / options.idleSeconds,
      idlePresenceCommandsPerSecond: (idle.evals - connected.evals) / options.idleSeconds,
      idleSeconds: options.idleSeconds,
      redisBytesPerTill: redisBytes / tills,
    };
  } finally {
    sockets.forEach((s) => s.close());
    redis.disconnect();
  }
}
