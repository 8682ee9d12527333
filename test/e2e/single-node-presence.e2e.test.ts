import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, EVENTS, Rooms } from '@retail/realtime-protocol';
import { ack, api, connectSocket, issueDeviceKey, login, record, startReplica, until, type Replica } from '@retail/testing';
import type { Socket } from 'socket.io-client';

const GRACE_SECONDS = 1;

// The one-command mode (embedded PGlite, no Redis): presence lives in the process, with the same events.
describe('till presence on a single embedded node', () => {
  let node: Replica;
  let dataDir: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rt-presence-'));
    node = await startReplica('embedded', { DATA_DIR: dataDir, JWT_SECRET: '', PRESENCE_GRACE_SECONDS: String(GRACE_SECONDS) });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await node?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a till online with what it reports, sends one event per change, and offline after the grace', async () => {
    const base = node.httpUrl;
    const admin = await login(base, 'admin@demo.local');
    const centro = ((await api(base, 'GET', '/workspaces', admin)).body as Array<{ id: string; name: string }>).find(
      (w) => w.name === 'Centro',
    )!;
    const [device] = (await api(base, 'GET', `/workspaces/${centro.id}/devices`, admin)).body as Array<{ id: string; presence: unknown }>;
    const deviceKey = await issueDeviceKey(base, admin, centro.id, device.id);
    const cashier = await login(base, 'cashier1@demo.local', { deviceId: device.id, deviceKey });

    const dashboard = await connectSocket(node.wsUrl, 'pos', admin);
    sockets.push(dashboard);
    const seen = record(dashboard, EVENTS.posDeviceStatus.name);
    await ack(dashboard, 'subscribe', { room: Rooms.workspace(centro.id) });

    const till = await connectSocket(node.wsUrl, 'pos', cashier, { auth: { appVersion: '2.0.0' } });
    sockets.push(till);
    await until('online', () => seen.length === 1);
    expect(seen[0].data).toMatchObject({ deviceId: device.id, workspaceId: centro.id, status: 'online' });
    expect(await ack(till, COMMANDS.posDeviceReport.name, { pendingSales: 2 })).toEqual({ ok: true });
    const devices = async () => (await api(base, 'GET', `/workspaces/${centro.id}/devices`, admin)).body as Array<{ presence: unknown }>;
    expect((await devices())[0].presence).toMatchObject({ status: 'online', appVersion: '2.0.0', pendingSales: 2 });
    const row = ((await api(base, 'GET', '/workspaces/presence', admin)).body as Array<{ workspaceId: string }>).find(
      (r) => r.workspaceId === centro.id,
    );
    expect(row).toMatchObject({ online: 1, offline: 0, pendingSales: 2 });

    till.close();
    await until('offline after the grace', () => seen.length === 2, (GRACE_SECONDS + 5) * 1000);
    expect(seen.map((e) => e.data.status)).toEqual(['online', 'offline']);
    expect((await devices())[0].presence).toMatchObject({ status: 'offline', pendingSales: 2 });
  });
});
