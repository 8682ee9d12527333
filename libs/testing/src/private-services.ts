import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './replica.js';

/**
 * Private Redis and PostgreSQL servers on spare loopback ports, for tests that stop them: the
 * shared services on the standard ports are never touched. Each is bounded in time and removed
 * when the test process exits, whatever happens.
 */

const START_TIMEOUT_MS = 20_000;

export interface PrivateRedis {
  url: string;
  /** (Re)starts the server on the same port, empty. */
  start(): Promise<void>;
  /** SIGKILL: Redis dies as it would on a crash, with no goodbye to its clients. */
  kill(): Promise<void>;
}

/** `redis-server` in the foreground, without persistence, as a child process. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
      child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      await waitForOutput(child, /Ready to accept connections/, 'redis-server');
    },
    kill: async () => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGKILL');
      await exited;
    },
  };
  await redis.start();
  return redis;
}

export interface PrivateRedisCluster {
  /** `host:port` of every node, for REDIS_CLUSTER_NODES. */
  nodes: string[];
  /** Stops every node (SIGTERM, then SIGKILL) and removes their directory. */
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `size` masters (no replicas) on spare loopback ports: one
 * `redis-server --cluster-enabled yes` each, joined by `redis-cli --cluster create`; resolves once
 * every node reports cluster_state:ok.
 */
export async function startPrivateRedisCluster(size = 3): Promise<PrivateRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'rt-redis-cluster-'));
  // Each node also needs a cluster bus port; Redis' default (port + 10000) may not exist.
  const [ports, busPorts] = chunk(await distinctFreePorts(2 * size), size);
  const children: ChildProcess[] = [];
  const killOnExit = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killOnExit);
  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const [i, port] of ports.entries()) {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(busPorts[i])];
      args.push('--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no');
      const child = spawn('redis-server', [...args, '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      await waitForOutput(child, /Ready to accept connections/, `redis-server :${port}`);
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    execFileSync('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
      stdio: 'pipe',
      timeout: START_TIMEOUT_MS,
    });
    await waitForClusterOk(ports);
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForClusterOk(ports: number[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const ok = (port: number) =>
    execFileSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).includes('cluster_state:ok');
  while (!ports.every(ok)) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster not ok after ${START_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** freePort() can hand out a port twice before it is bound; a cluster needs `count` different ones. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

const chunk = <T>(items: T[], size: number) => [items.slice(0, size), items.slice(size)];

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const overdue = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited.finally(() => clearTimeout(overdue));
}

export interface PrivatePostgres {
  /** The `postgres` maintenance database, for createTestDatabase({ adminUri }). */
  adminUri: string;
  /** `pg_ctl stop -m fast`: sessions are terminated, new connections refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

/**
 * A throwaway cluster: `initdb` in a temporary directory, then `pg_ctl`. PostgreSQL refuses to
 * run as root, so as root both run as the `postgres` user, owning the directory.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rt-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const bin = postgresBinDir();
  const run = (tool: string, args: string[]) => {
    const [command, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(command, all, { stdio: 'pipe', timeout: START_TIMEOUT_MS });
  };
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=50`;
  let running = false;
  const stopNow = () => running && run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  process.once('exit', stopNow);

  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
  const pg: PrivatePostgres = {
    adminUri: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', String(START_TIMEOUT_MS / 1000), '-o', options, 'start']);
      running = true;
    },
    stop: async () => {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    destroy: async () => {
      if (running) await pg.stop();
      process.off('exit', stopNow);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  return pg;
}

/** Debian keeps the server tools off the PATH; `pg_config` knows where they are. */
function postgresBinDir(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // then initdb and pg_ctl must be on the PATH
  }
}

/** Resolves once the child prints `ready`; its output is drained after that, so it never blocks on a full pipe. */
function waitForOutput(child: ChildProcess, ready: RegExp, name: string): Promise<void> {
  const streams = [child.stdout!, child.stderr!];
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${name} not ready after ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) done();
    };
    const onExit = (code: number | null) => fail(new Error(`${name} exited (${code}) during startup:\n${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      streams.forEach((s) => s.off('data', onData).resume());
      child.off('exit', onExit);
    };
    const done = () => (cleanup(), resolve());
    const fail = (error: Error) => (cleanup(), child.kill('SIGKILL'), reject(error));
    streams.forEach((s) => s.on('data', onData));
    child.once('exit', onExit);
  });
}
