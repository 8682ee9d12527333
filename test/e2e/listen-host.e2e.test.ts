import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReplica, type Replica } from '@retail/testing';

/** Whether a TCP connection to `host` on the port of `url` is accepted. */
const accepts = (host: string, url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(Number(new URL(url).port), host);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** Both ports of a replica: HTTP, and Socket.IO on its own WEBSOCKET_PORT. */
const reachableAt = async (host: string, replica: Replica) => ({
  http: await accepts(host, replica.httpUrl),
  sockets: await accepts(host, replica.wsUrl),
});

// Embedded mode needs no services. 127.0.0.2 is this machine too, but not the address 127.0.0.1
// alone listens on: what a LAN neighbour reaching the machine's other addresses would meet.
describe('the interface the embedded default listens on', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  const startEmbedded = async (env: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rt-listen-'));
    // No demo data: only the listening matters here.
    const replica = await startReplica('embedded', { DATA_DIR: dataDir, JWT_SECRET: '', SEED_DEMO_DATA: 'false', ...env });
    cleanups.push(async () => (await replica.stop(), rmSync(dataDir, { recursive: true, force: true })));
    expect(replica.wsUrl).not.toBe(replica.httpUrl);
    return replica;
  };

  it('is 127.0.0.1 for HTTP and for the separate socket port', async () => {
    const replica = await startEmbedded({});
    expect(await reachableAt('127.0.0.1', replica)).toEqual({ http: true, sockets: true });
    expect(await reachableAt('127.0.0.2', replica)).toEqual({ http: false, sockets: false });
  });

  it('is what HOST says, for both ports', async () => {
    const replica = await startEmbedded({ HOST: '0.0.0.0' });
    expect(await reachableAt('127.0.0.2', replica)).toEqual({ http: true, sockets: true });
  });
});
