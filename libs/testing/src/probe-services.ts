import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';

export const POSTGRES_ADMIN_URI = process.env.TEST_POSTGRES_URI ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const reachable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

const onPath = (command: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

export async function probeServices() {
  return {
    postgres: await reachable(Number(new URL(POSTGRES_ADMIN_URI).port || 5432)),
    redis: await reachable(Number(new URL(REDIS_TEST_URL).port || 6379)),
    nginx: onPath('nginx'),
    haproxy: onPath('haproxy'),
  };
}
