import { describe, expect, it } from 'vitest';
import { routeOf } from './routes.js';

const [company, centro, norte, device, cart, user, room] = [
  'c0000000-0000-4000-8000-000000000000',
  'a0000000-0000-4000-8000-000000000001',
  'a0000000-0000-4000-8000-000000000002',
  'd0000000-0000-4000-8000-000000000003',
  'e0000000-0000-4000-8000-000000000004',
  'f0000000-0000-4000-8000-000000000005',
  'b0000000-0000-4000-8000-000000000006',
];

const now = new Date().toISOString();
const posScope = { companyId: company, workspaceId: centro, deviceId: device };

describe('event routes', () => {
  it('keeps cart events with the device and its store, sales also reach the company', () => {
    expect(routeOf('posCartUpdated', { ...posScope, cartId: cart, status: 'OPEN', items: [], total: 0, paid: 0, updatedAt: now })).toEqual({
      rooms: [`pos:${device}`, `workspace:${centro}`],
      workspaceId: centro,
    });
    const sale = {
      ...posScope,
      saleId: cart,
      source: 'cart' as const,
      cartId: cart,
      cashierId: user,
      checkedOutById: user,
      lines: [],
      payments: [],
      total: 0,
      paid: 0,
      change: 0,
    };
    expect(routeOf('posSaleCompleted', { ...sale, businessDate: '2026-11-28', occurredAt: now, completedAt: now }).rooms).toEqual([
      `pos:${device}`,
      `workspace:${centro}`,
      `company:${company}`,
    ]);
  });

  it('sends a return to its till (if any), its store and the company; a catalog change to the company catalog room', () => {
    const returned = {
      ...posScope,
      saleId: cart,
      returnId: room,
      lines: [],
      refunds: [],
      reason: 'damaged',
      businessDate: '2026-11-28',
      returnedAt: now,
    };
    expect(routeOf('posSaleReturned', returned).rooms).toEqual([`pos:${device}`, `workspace:${centro}`, `company:${company}`]);
    expect(routeOf('posSaleReturned', { ...returned, deviceId: null }).rooms).toEqual([`workspace:${centro}`, `company:${company}`]);
    expect(routeOf('posCatalogChanged', { companyId: company, version: '7' })).toEqual({ rooms: [`catalog:${company}`] });
  });

  it('sends a transfer to both stores and the company, naming no single store', () => {
    const movement = {
      id: cart,
      type: 'TRANSFER' as const,
      status: 'PENDING' as const,
      productId: device,
      quantity: 2,
      workspaceId: null,
      fromWorkspaceId: centro,
      toWorkspaceId: norte,
      reason: null,
      userId: user,
      createdAt: now,
      updatedAt: now,
    };
    expect(routeOf('inventoryMovementCreated', { companyId: company, movement, stock: [] })).toEqual({
      rooms: [`workspace:${centro}`, `workspace:${norte}`, `company:${company}`],
      workspaceId: undefined,
    });
  });

  it('sends alerts to their scope: the company room, one store, or one user', () => {
    const alert = { companyId: company, notificationId: null, kind: 'CUSTOM' as const, title: 't', message: 'm', createdAt: now };
    expect(routeOf('systemAlert', { ...alert, scope: { type: 'company' } }).rooms).toEqual([`company:${company}`]);
    expect(routeOf('systemWarning', { ...alert, scope: { type: 'workspace', workspaceId: norte } })).toEqual({
      rooms: [`workspace:${norte}`],
      workspaceId: norte,
    });
    expect(routeOf('systemInfo', { ...alert, scope: { type: 'user', userId: user } }).rooms).toEqual([`user:${user}`]);
  });

  it('sends typing to the chat room except the typist', () => {
    expect(routeOf('chatTyping', { companyId: company, roomId: room, userId: user, isTyping: true })).toEqual({
      rooms: [`chat:${room}`],
      except: [`user:${user}`],
    });
  });
});
