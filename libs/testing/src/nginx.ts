import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, type Replica } from './replica.js';
import { stopProcess, waitUntilServing } from './serving.js';

export interface Nginx {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs the shipped infra/nginx/nginx.conf on loopback: only the upstream `server` lines, the
 * listen port and the runtime paths differ, so the tests exercise the real stickiness settings.
 */
export async function startNginx(replicas: Replica[]): Promise<Nginx> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rt-nginx-'));
  mkdirSync(join(dir, 'logs'));
  const serverLines = (pick: (r: Replica) => string) =>
    replicas.map((r) => `server ${new URL(pick(r)).host} max_fails=3 fail_timeout=10s;`).join('\n    ');
  const conf = readFileSync(resolve('infra/nginx/nginx.conf'), 'utf8')
    .replace(
      /server api:3000[^;]*;/,
      serverLines((r) => r.httpUrl),
    )
    .replace(
      /server api:3001[^;]*;/,
      serverLines((r) => r.wsUrl),
    )
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    .replace(
      'http {',
      `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;`,
    );
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, conf);
  const child: ChildProcess = spawn(
    'nginx',
    [
      '-p',
      dir,
      '-c',
      confPath,
      '-g',
      `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/logs/error.log warn;${process.getuid?.() === 0 ? ' user root;' : ''}`,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(`${url}/health/live`, child, 'nginx', () => stderr);
  return { url, stop: () => stopProcess(child) };
}
