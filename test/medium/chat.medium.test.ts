import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '@retail/auth';
import { ChatService } from '@retail/chat';
import { describeWithServices, startDomainHarness, type DomainHarness } from '@retail/testing';

describeWithServices(['postgres'], 'chat on PostgreSQL', () => {
  let h: DomainHarness;
  let chat: ChatService;
  let admin: Principal, manager: Principal, cashier1: Principal, cashier2: Principal, staff: Principal, otherAdmin: Principal;

  beforeAll(async () => {
    h = await startDomainHarness();
    chat = new ChatService(h.prisma, h.transactions, h.realtime);
    [admin, manager, cashier1, cashier2, staff, otherAdmin] = await Promise.all(
      ['admin', 'manager', 'cashier1', 'cashier2', 'staff']
        .map((u) => h.principal(`${u}@demo.local`))
        .concat(h.principal('admin@other.local')),
    );
  });
  afterAll(async () => {
    chat?.onModuleDestroy();
    await h?.close();
  });

  const employeeRoom = (members: Principal[]) =>
    chat.createRoom(manager, { type: 'EMPLOYEE', name: 'Team', memberIds: members.map((m) => m.userId) });
  const send = (user: Principal, roomId: string, body = 'hello', clientMessageId = randomUUID()) =>
    chat.sendMessage(user, { roomId, body, clientMessageId });
  const roomIds = async (user: Principal) => (await chat.listRooms(user, { limit: 100 })).items.map((r) => r.id);
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );

  it('pages history newest first with no duplicates and no gaps while new messages arrive', async () => {
    const room = await employeeRoom([cashier1]);
    // Same-millisecond messages too: the id breaks the tie, so the order is still total.
    const sameInstant = new Date();
    await h.prisma.chatMessage.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        roomId: room.id,
        senderId: manager.userId,
        body: `tied ${i}`,
        clientMessageId: `tied-${i}`,
        createdAt: sameInstant,
      })),
    });
    for (let i = 0; i < 25; i++) await send(cashier1, room.id, `before ${i}`);
    const before = await h.prisma.chatMessage.findMany({ where: { roomId: room.id }, select: { id: true } });

    const seen: string[] = [];
    let cursor: string | undefined;
    let arrived = 0;
    do {
      const page = await chat.history(cashier1, room.id, { cursor, limit: 7 });
      seen.push(...page.items.map((m) => m.id));
      const times = page.items.map((m) => m.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      await Promise.all([send(manager, room.id, `during ${arrived++}`), send(cashier1, room.id, `during ${arrived++}`)]);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(before.map((m) => m.id)));
  });

  it('stores a retried clientMessageId once and answers the original, also when retried concurrently', async () => {
    const room = await employeeRoom([cashier1]);
    const clientMessageId = randomUUID();
    const first = await send(cashier1, room.id, 'once', clientMessageId);
    const retry = await send(cashier1, room.id, 'once again?', clientMessageId);
    expect(retry).toEqual(first);

    const racing = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => send(cashier1, room.id, 'race', racing)));
    expect(new Set(results.map((m) => m.id)).size).toBe(1);
    expect(
      await h.prisma.chatMessage.count({ where: { senderId: cashier1.userId, clientMessageId: { in: [clientMessageId, racing] } } }),
    ).toBe(2);
    expect(
      h.sent.filter((e) => e.event === 'chatMessage' && [clientMessageId, racing].includes(e.payload.message.clientMessageId)),
    ).toHaveLength(2);

    // Another sender may use the same clientMessageId: it is unique per sender only.
    expect((await send(manager, room.id, 'mine', racing)).id).not.toBe(results[0].id);
    await expect(send(cashier1, (await employeeRoom([cashier1])).id, 'other room', racing)).rejects.toMatchObject({
      code: 'client_message_id_reused',
    });
  });

  it('broadcasts a message to its room only after it is stored, with the body cleaned', async () => {
    const room = await employeeRoom([cashier1]);
    const message = await send(cashier1, room.id, 'line 1\r\n\tline 2\u0007');
    expect(message.body).toBe('line 1\n\tline 2');
    const event = h.sent.find((e) => e.event === 'chatMessage' && e.payload.message.id === message.id);
    expect(event?.payload).toMatchObject({ roomId: room.id, companyId: manager.companyId, message: { body: 'line 1\n\tline 2' } });
    expect(await code(send(cashier1, room.id, 'x'.repeat(4001)))).toBe('validation_failed');
    expect(await code(send(cashier1, room.id, '\u0000\u0001'))).toBe('validation_failed');
  });

  it('refuses a non-member on join, message, history and typing, and hides other companies', async () => {
    const room = await employeeRoom([cashier1]);
    const attempts = await Promise.all(
      [
        chat.assertMember(staff, room.id),
        send(staff, room.id),
        chat.history(staff, room.id, { limit: 10 }),
        chat.typing(staff, room.id, true),
      ].map(code),
    );
    expect(attempts).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden']);
    expect(await code(chat.assertMember(otherAdmin, room.id))).toBe('not_found');
    expect(await code(send(otherAdmin, room.id))).toBe('not_found');
    expect(await roomIds(otherAdmin)).not.toContain(room.id);
    expect(await roomIds(staff)).not.toContain(room.id);
    expect(await roomIds(cashier1)).toContain(room.id);
    // The /chat gateway's resume check, for many rooms in one query.
    expect(await chat.readableRooms(cashier1, [room.id])).toEqual([room.id]);
    expect(await chat.readableRooms(staff, [room.id])).toEqual([]);
    expect(await chat.readableRooms(otherAdmin, [room.id])).toEqual([]);
  });

  it('shows a SUPPORT room to every admin of its company, and only theirs', async () => {
    const support = await chat.createRoom(cashier2, { type: 'SUPPORT', name: 'Till is stuck', memberIds: [] });
    expect(await roomIds(admin)).toContain(support.id);
    await send(admin, support.id, 'On it');
    expect((await chat.history(cashier2, support.id, { limit: 10 })).items[0].body).toBe('On it');
    expect(await roomIds(otherAdmin)).not.toContain(support.id);
    expect(await roomIds(manager)).not.toContain(support.id);
    expect(await code(send(manager, support.id))).toBe('forbidden');
  });

  it('pages the rooms newest first, without duplicates', async () => {
    const opened: string[] = [];
    for (let i = 0; i < 7; i++) opened.push((await chat.createRoom(cashier2, { type: 'SUPPORT', name: `Ticket ${i}`, memberIds: [] })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await chat.listRooms(admin, { cursor, limit: 3 });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const newestFirst = await h.prisma.chatRoom.findMany({
      where: { id: { in: opened } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    expect(seen.filter((id) => opened.includes(id))).toEqual(newestFirst.map((r) => r.id));
  });

  it('keeps members in one company and one direct room per pair, even when opened concurrently', async () => {
    expect(await code(chat.createRoom(manager, { type: 'EMPLOYEE', memberIds: [otherAdmin.userId] }))).toBe('not_found');
    expect(await code(chat.createRoom(manager, { type: 'DIRECT', memberIds: [cashier1.userId, cashier2.userId] }))).toBe(
      'validation_failed',
    );
    const rooms = await Promise.all([
      chat.createRoom(staff, { type: 'DIRECT', memberIds: [cashier2.userId] }),
      chat.createRoom(cashier2, { type: 'DIRECT', memberIds: [staff.userId] }),
      chat.createRoom(staff, { type: 'DIRECT', memberIds: [cashier2.userId] }),
    ]);
    expect(new Set(rooms.map((r) => r.id)).size).toBe(1);
    expect(new Set(rooms[0].memberIds)).toEqual(new Set([staff.userId, cashier2.userId]));
  });

  it('sends typing to the room through the facade, throttled', async () => {
    const room = await employeeRoom([cashier1]);
    await chat.typing(cashier1, room.id, true);
    await chat.typing(cashier1, room.id, true);
    await chat.typing(cashier1, room.id, false);
    const typing = h.sent.filter((e) => e.event === 'chatTyping' && e.payload.roomId === room.id).map((e) => e.payload);
    expect(typing).toEqual([
      { companyId: cashier1.companyId, roomId: room.id, userId: cashier1.userId, isTyping: true },
      { companyId: cashier1.companyId, roomId: room.id, userId: cashier1.userId, isTyping: false },
    ]);
  });
});
