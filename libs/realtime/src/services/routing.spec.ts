import { describe, expect, it } from 'vitest';
import { EventDispatcher } from '../publishing/event-dispatcher.js';
import type { EventPublisher } from '../publishing/event-publisher.js';
import { InventoryEventsService } from './inventory-events.service.js';
import { PosEventsService } from './pos-events.service.js';
import { RealtimeChatService } from './chat.service.js';
import { EVENTS } from '../events/catalog.js';

const [company, centro, norte, device, cart, user, room] = [
  'c0000000-0000-4000-8000-000000000000',
  'a0000000-0000-4000-8000-000000000001',
  'a0000000-0000-4000-8000-000000000002',
  'd0000000-0000-4000-8000-000000000003',
  'e0000000-0000-4000-8000-000000000004',
  'f0000000-0000-4000-8000-000000000005',
  'b0000000-0000-4000-8000-000000000006',
];

/** Records what would go on the wire: routing is this library's own logic, tested without sockets. */
function recorder() {
  const sent: Array<{ namespace: string; rooms: string[]; type: string; except: string[] }> = [];
  const publisher = { publish: (namespace: string, rooms: string[], envelope: { type: string }, except: string[] = []) => sent.push({ namespace, rooms, type: envelope.type, except }) };
  return { sent, dispatcher: new EventDispatcher(publisher as unknown as EventPublisher) };
}

const now = new Date().toISOString();

describe('event routing', () => {
  it('keeps cart events with the device and its store, sales also reach the company', () => {
    const { sent, dispatcher } = recorder();
    const pos = new PosEventsService(dispatcher);
    const scope = { companyId: company, workspaceId: centro, deviceId: device };
    pos.cartUpdated({ ...scope, cartId: cart, status: 'OPEN', items: [], total: 0, paid: 0, updatedAt: now });
    pos.saleCompleted({ ...scope, saleId: cart, cartId: cart, cashierId: user, lines: [], payments: [], total: 0, paid: 0, change: 0, businessDate: '2026-11-28', completedAt: now });
    expect(sent).toEqual([
      { namespace: '/pos', type: EVENTS.posCartUpdated.name, rooms: [`pos:${device}`, `workspace:${centro}`], except: [] },
      { namespace: '/pos', type: EVENTS.posSaleCompleted.name, rooms: [`pos:${device}`, `workspace:${centro}`, `company:${company}`], except: [] },
    ]);
  });

  it('sends a transfer to both stores and the company, in one envelope without a single store', () => {
    const { sent, dispatcher } = recorder();
    const envelope = new InventoryEventsService(dispatcher).movementCreated({
      companyId: company,
      movement: { id: cart, type: 'TRANSFER', status: 'PENDING', productId: device, quantity: 2, workspaceId: null, fromWorkspaceId: centro, toWorkspaceId: norte, reason: null, userId: user, createdAt: now, updatedAt: now },
      stock: [],
    });
    expect(sent[0]).toMatchObject({ namespace: '/inventory', rooms: [`workspace:${centro}`, `workspace:${norte}`, `company:${company}`] });
    expect(envelope.workspaceId).toBeUndefined();
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends typing to the chat room except the typist', () => {
    const { sent, dispatcher } = recorder();
    new RealtimeChatService(dispatcher).typing(company, room, user, true);
    expect(sent).toEqual([{ namespace: '/chat', type: EVENTS.chatTyping.name, rooms: [`chat:${room}`], except: [`user:${user}`] }]);
  });
});
