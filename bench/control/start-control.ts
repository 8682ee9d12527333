import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { freePort, TEST_JWT_SECRET } from '@retail/testing';

export interface ControlReplica {
  url: string;
  process: ChildProcess;
}

export interface ControlCluster {
  replicas: ControlReplica[];
  stop(): Promise<void>;
}

const SERVER = resolve('bench/control/control-server.ts');

/** N control replicas on one Redis, on their own adapter channel; `env` adds e.g. NODE_OPTIONS. */
export async function startControl(replicas: number, redisUrl: string, env: (index: number) => Record<string, string> = () => ({})) {
  const channel = `control-${randomBytes(4).toString('hex')}`;
  const started = await Promise.all(
    Array.from({ length: replicas }, async (_, i): Promise<ControlReplica> => {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
        env: {
          PATH: process.env.PATH,
          REDIS_URL: redisUrl,
          CONTROL_CHANNEL: channel,
          JWT_SECRET: TEST_JWT_SECRET,
          CONTROL_PORT: String(port),
          ...env(i),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      process.once('exit', () => child.kill('SIGKILL'));
      await new Promise<void>((ready, fail) => {
        let output = '';
        const onData = (chunk: Buffer) => {
          output += chunk;
          if (output.includes('control ready')) ready();
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => fail(new Error(`control replica exited (${code}):\n${output}`)));
      });
      return { url: `http://127.0.0.1:${port}`, process: child };
    }),
  );
  const stop = async () => {
    await Promise.all(
      started.map(
        (r) =>
          new Promise((done) => {
            if (r.process.exitCode !== null || r.process.signalCode !== null) return done(undefined);
            r.process.once('exit', done);
            r.process.kill('SIGTERM');
            setTimeout(() => r.process.kill('SIGKILL'), 5_000).unref();
          }),
      ),
    );
  };
  return { replicas: started, stop } satisfies ControlCluster;
}
