import type { Prisma } from '../generated/client.js';

/** A team room for Demo Retail's staff with a first message, so chat has something to show out of the box. */
export async function seedDemoChat(tx: Prisma.TransactionClient): Promise<void> {
  const team = await tx.user.findMany({
    where: { company: { name: 'Demo Retail' }, role: { not: 'ADMIN' } },
    select: { id: true, email: true, companyId: true },
  });
  const manager = team.find((u) => u.email === 'manager@demo.local');
  if (!manager) return;
  const room = await tx.chatRoom.create({
    data: {
      companyId: manager.companyId,
      type: 'EMPLOYEE',
      name: 'Demo Retail team',
      createdById: manager.id,
      members: { create: team.map((u) => ({ userId: u.id })) },
    },
  });
  await tx.chatMessage.create({
    data: { roomId: room.id, senderId: manager.id, body: 'Welcome to the team chat!', clientMessageId: 'seed-welcome' },
  });
}
