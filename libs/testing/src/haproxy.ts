import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, type Replica } from './replica.js';
import { stopProcess, waitUntilServing } from './serving.js';

export const HAPROXY_CONFIG = resolve('infra/haproxy/haproxy.cfg');

export interface Haproxy {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs the shipped infra/haproxy/haproxy.cfg on loopback: only the `bind` line and the
 * `server-template` lines differ (one `server` per test replica instead of names from Docker's
 * DNS), so the tests exercise the real balancing, stickiness and health checks.
 */
export async function startHaproxy(replicas: Replica[]): Promise<Haproxy> {
  const portOf = (url: string) => new URL(url).port;
  const servers = (line: (r: Replica, i: number) => string) => replicas.map(line).join('\n  ');
  return runHaproxy((config) =>
    config
      .replace(
        /^ {2}server-template api \d+ api:3000 .*$/m,
        servers((r, i) => `server api${i + 1} 127.0.0.1:${portOf(r.httpUrl)}`),
      )
      // Health is read on each replica's own HTTP port.
      .replace(
        /^ {2}server-template api \d+ api:3001 .*$/m,
        servers((r, i) => `server api${i + 1} 127.0.0.1:${portOf(r.wsUrl)} port ${portOf(r.httpUrl)}`),
      ),
  );
}

/**
 * The shipped configuration with its `server-template` lines as they are: the servers come from
 * the DNS server at `dnsPort` (instead of Docker's), for the name `api`, on `ports` (instead of
 * 3000 and 3001). Replicas published there later receive traffic without a restart.
 */
export function startHaproxyOnDns(dnsPort: number, ports: { http: number; ws: number }): Promise<Haproxy> {
  return runHaproxy((config) =>
    config
      .replace(/^ {2}nameserver dns 127\.0\.0\.11:53$/m, `  nameserver dns 127.0.0.1:${dnsPort}`)
      .replace(/ api:3000 /, ` api:${ports.http} `)
      .replace(/ api:3001 /, ` api:${ports.ws} `)
      .replace(/ check port 3000 /, ` check port ${ports.http} `),
  );
}

/** Writes the shipped configuration, listening on a loopback port and changed by `adapt`, and runs it. */
async function runHaproxy(adapt: (config: string) => string): Promise<Haproxy> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rt-haproxy-'));
  const shipped = readFileSync(HAPROXY_CONFIG, 'utf8').replace(/^ {2}bind :80$/m, `  bind 127.0.0.1:${port}`);
  const config = adapt(shipped);
  const configPath = join(dir, 'haproxy.cfg');
  writeFileSync(configPath, config);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(`${url}/health/live`, child, 'haproxy', () => stderr, 30_000);
  return { url, stop: () => stopProcess(child) };
}
