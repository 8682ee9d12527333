import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/**
 * Random-looking, so that it passes the boot's refusal of placeholder and weak secrets; published
 * here, so that NODE_ENV=production refuses it (libs/config/src/jwt-secret.ts).
 */
export const TEST_JWT_SECRET = 'Qm3vX9tLr7Wc2NpK8sZd5FhJ1yGb4TaE6uRwPq0Vn';
/** What production replicas sign with instead: drawn once per test run, so shared by every replica of the run. */
export const PRODUCTION_TEST_JWT_SECRET = randomBytes(48).toString('base64url');
const MAIN = resolve('apps/api/dist/main.js');
const STOP_DEADLINE_MS = 20_000;

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface Replica {
  name: string;
  httpUrl: string;
  wsUrl: string;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM, then resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts one real replica process from the build and waits until /health/ready answers 200. */
export async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const wsPort = env.WEBSOCKET_PORT === 'same' ? port : await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      JWT_SECRET: env.NODE_ENV === 'production' ? PRODUCTION_TEST_JWT_SECRET : TEST_JWT_SECRET,
      ...env,
      PORT: String(port),
      WEBSOCKET_PORT: String(wsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never leave a replica behind, even when the test process dies.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const replica: Replica = {
    name,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `http://127.0.0.1:${wsPort}`,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // A replica that does not stop in time fails its own shutdown test; here it must not hang the suite.
      const overdue = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
      return exited.finally(() => clearTimeout(overdue));
    },
  };
  await waitReady(replica, exited);
  return replica;
}

async function waitReady(replica: Replica, exited: Promise<number | null>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${replica.name} exited during startup:\n${replica.output()}`);
    const ok = await fetch(`${replica.httpUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await replica.stop();
  throw new Error(`${replica.name} not ready after ${timeoutMs} ms:\n${replica.output()}`);
}

export interface Cluster {
  replicas: Replica[];
  redisPrefix: string;
  stop(): Promise<void>;
}

/** N replicas on one database and (optionally) one Redis, isolated from other runs by a key prefix. */
export async function startCluster(opts: {
  replicas: number;
  databaseUri: string;
  redisUrl?: string;
  env?: Record<string, string>;
  /** Extra settings for one replica, e.g. a REST-only one. */
  replicaEnv?: (index: number) => Record<string, string>;
}): Promise<Cluster> {
  const redisPrefix = `rt-test-${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URI: opts.databaseUri,
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl, REDIS_KEY_PREFIX: redisPrefix } : {}),
    ...opts.env,
  };
  const started = await Promise.allSettled(
    Array.from({ length: opts.replicas }, (_, i) => startReplica(`replica-${'ABCDEFGH'[i]}`, { ...env, ...opts.replicaEnv?.(i) })),
  );
  const replicas = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(replicas.map((r) => r.stop()));
    throw failed.reason;
  }
  return { replicas, redisPrefix, stop: async () => void (await Promise.all(replicas.map((r) => r.stop()))) };
}
