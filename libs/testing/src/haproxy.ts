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
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rt-haproxy-'));
  const portOf = (url: string) => new URL(url).port;
  const servers = (line: (r: Replica, i: number) => string) => replicas.map(line).join('\n  ');
  const config = readFileSync(HAPROXY_CONFIG, 'utf8')
    .replace(/^ {2}bind :80$/m, `  bind 127.0.0.1:${port}`)
    .replace(
      /^ {2}server-template api \d+ api:3000 .*$/m,
      servers((r, i) => `server api${i + 1} 127.0.0.1:${portOf(r.httpUrl)}`),
    )
    // Health is read on each replica's own HTTP port.
    .replace(
      /^ {2}server-template api \d+ api:3001 .*$/m,
      servers((r, i) => `server api${i + 1} 127.0.0.1:${portOf(r.wsUrl)} port ${portOf(r.httpUrl)}`),
    );
  const configPath = join(dir, 'haproxy.cfg');
  writeFileSync(configPath, config);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(`${url}/health/live`, child, 'haproxy', () => stderr);
  return { url, stop: () => stopProcess(child) };
}
