import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import {
  QUIET_MS,
  api,
  connectSocket,
  issueDeviceKey,
  login,
  nextEvent,
  record,
  sleep,
  demoIds,
  productBySku,
  sell,
} from '@retail/testing';

import { COMMANDS, EVENTS } from '@retail/realtime-protocol';

/** Where the suite runs: REST calls go to `trigger`, sockets connect to `listen` (may be other replicas). */
export interface Topology {
  trigger: string;
  listen: { a: string; b: string; c: string };
  transports?: string[];
  stop(): Promise<void>;
}

/**
 * The event tests every topology must pass: one node, three replicas on Redis, nginx in front.
 * Events triggered through one replica's REST API reach the right sockets on any replica, once,
 * and never another store's cashier or another company.
 */
export function eventDeliverySuite(start: () => Promise<Topology>) {
  let topo: Topology;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  const sockets: Socket[] = [];
  /** The tills' keys: issued through the API, as on a node that seeded itself (its keys are random). */
  const deviceKeys = new Map<string, string>();
  const onTill = (deviceId: string | undefined) => (deviceId ? { deviceId, deviceKey: deviceKeys.get(deviceId) } : {});
  const connect = async (url: string, ns: 'pos' | 'notifications' | 'inventory', email: string, deviceId?: string) => {
    const token = await login(topo.trigger, email, onTill(deviceId));
    const socket = await connectSocket(url, ns, token, { transports: topo.transports });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    topo = await start();
    ids = await demoIds(topo.trigger);
    const admin = await login(topo.trigger, 'admin@demo.local');
    for (const [workspaceId, deviceId] of [
      [ids.centro, ids.centroDevice],
      [ids.norte, ids.norteDevice],
    ]) {
      deviceKeys.set(deviceId, await issueDeviceKey(topo.trigger, admin, workspaceId, deviceId));
    }
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await topo?.stop();
  });

  it('delivers a sale to the store, the chain view and the device, once each, and to nobody else', async () => {
    const cashier = await login(topo.trigger, 'cashier1@demo.local', onTill(ids.centroDevice));
    const device = await connect(topo.listen.a, 'pos', 'cashier1@demo.local', ids.centroDevice);
    const manager = await connect(topo.listen.c, 'pos', 'manager@demo.local');
    const admin = await connect(topo.listen.b, 'pos', 'admin@demo.local');
    const norteCashier = await connect(topo.listen.c, 'pos', 'cashier2@demo.local', ids.norteDevice);
    const otherChain = await connect(topo.listen.b, 'pos', 'admin@other.local');
    const [managerGot, adminGot, norteGot, otherGot, deviceGot] = [manager, admin, norteCashier, otherChain, device].map((s) =>
      record(s, EVENTS.posSaleCompleted.name, EVENTS.posDailyTotalsUpdated.name, EVENTS.posCartUpdated.name, EVENTS.posCartPayment.name),
    );

    const bread = await productBySku(topo.trigger, cashier, 'BREAD-LOAF');
    const sold = nextEvent(manager, EVENTS.posSaleCompleted.name);
    const checkout = await sell(topo.trigger, cashier, [{ productId: bread.id, quantity: 2 }]);
    expect(checkout.status).toBe(201);
    const sale = await sold;
    await sleep(QUIET_MS);

    expect(sale.data).toMatchObject({
      workspaceId: ids.centro,
      deviceId: ids.centroDevice,
      total: 2 * bread.price,
      lines: [{ productId: bread.id, quantity: 2, lineTotal: 2 * bread.price }],
    });
    expect(sale).toMatchObject({ type: EVENTS.posSaleCompleted.name, companyId: ids.companyId, workspaceId: ids.centro });
    const saleIds = (got: typeof managerGot) => got.filter((e) => e.type === EVENTS.posSaleCompleted.name).map((e) => e.id);
    expect(saleIds(managerGot)).toEqual([sale.id]);
    expect(saleIds(adminGot)).toEqual([sale.id]); // through company:{id}
    // Cart events are for the device and its store: never for a socket only in the company room.
    const cartEvents: string[] = [EVENTS.posCartUpdated.name, EVENTS.posCartPayment.name];
    expect(adminGot.filter((e) => cartEvents.includes(e.type))).toEqual([]);
    expect(saleIds(deviceGot)).toEqual([sale.id]);
    expect(managerGot.map((e) => e.type)).toContain(EVENTS.posDailyTotalsUpdated.name);
    expect(deviceGot.map((e) => e.type)).toEqual(expect.arrayContaining([EVENTS.posCartUpdated.name, EVENTS.posCartPayment.name]));
    expect(norteGot).toEqual([]);
    expect(otherGot).toEqual([]);
  });

  it('delivers a company-wide alert to every user of the company, cashiers included, and no other company', async () => {
    const admin = await login(topo.trigger, 'admin@demo.local');
    const cashier = await connect(topo.listen.c, 'notifications', 'cashier2@demo.local');
    const staff = await connect(topo.listen.a, 'notifications', 'staff@demo.local');
    const otherChain = await connect(topo.listen.b, 'notifications', 'admin@other.local');
    const otherGot = record(otherChain, EVENTS.systemAlert.name, EVENTS.systemWarning.name, EVENTS.systemInfo.name);

    const title = `Store meeting ${Date.now()}`;
    const [toCashier, toStaff] = [cashier, staff].map((s) => nextEvent(s, EVENTS.systemAlert.name, (e) => e.data.title === title));
    const sent = await api(topo.trigger, 'POST', '/notifications', admin, { title, message: 'At 18:00 in Centro' });
    expect(sent.status).toBe(201);
    const [a, b] = await Promise.all([toCashier, toStaff]);
    expect(a.id).toBe(b.id);
    expect(a.data).toMatchObject({ title, scope: { type: 'company' }, companyId: ids.companyId });
    await sleep(QUIET_MS);
    expect(otherGot).toEqual([]);
  });

  it('lets a dashboard join a store room and then receive that store only', async () => {
    const manager = await connect(topo.listen.b, 'inventory', 'manager@demo.local');
    expect(await manager.emitWithAck(COMMANDS.unsubscribe.name, { room: `workspace:${ids.norte}` })).toMatchObject({ ok: true });
    const got = record(manager, EVENTS.inventoryMovementCreated.name);
    const token = await login(topo.trigger, 'manager@demo.local');
    const milk = await productBySku(topo.trigger, token, 'MILK-1L');
    const centroMove = nextEvent(manager, EVENTS.inventoryMovementCreated.name, (e) => e.data.movement.workspaceId === ids.centro);
    expect(
      (
        await api(topo.trigger, 'POST', '/inventory/movements', token, {
          type: 'IN',
          workspaceId: ids.norte,
          productId: milk.id,
          quantity: 1,
          reason: 'delivery',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api(topo.trigger, 'POST', '/inventory/movements', token, {
          type: 'IN',
          workspaceId: ids.centro,
          productId: milk.id,
          quantity: 1,
          reason: 'delivery',
        })
      ).status,
    ).toBe(201);
    await centroMove;
    await sleep(QUIET_MS);
    expect(got.map((e) => e.data.movement.workspaceId)).toEqual([ids.centro]);
  });
}
