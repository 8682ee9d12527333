import bcrypt from 'bcryptjs';
import type { PrismaClient } from './generated/client.js';
import type { Role } from './generated/enums.js';

/** Demo-only password for every demo user. Never use demo data in production. */
export const DEMO_PASSWORD = 'demo1234';

interface DemoUser {
  email: string;
  name: string;
  role: Role;
  stores: string[];
}

const DEMO_CHAINS: Array<{ name: string; stores: Array<{ name: string; devices: string[] }>; users: DemoUser[] }> = [
  {
    name: 'Demo Retail',
    stores: [
      { name: 'Centro', devices: ['POS-CENTRO-1'] },
      { name: 'Norte', devices: ['POS-NORTE-1'] },
    ],
    users: [
      { email: 'admin@demo.local', name: 'Ana Admin', role: 'ADMIN', stores: [] },
      { email: 'manager@demo.local', name: 'Marta Manager', role: 'MANAGER', stores: ['Centro', 'Norte'] },
      { email: 'cashier1@demo.local', name: 'Carlos Cashier', role: 'CASHIER', stores: ['Centro'] },
      { email: 'cashier2@demo.local', name: 'Clara Cashier', role: 'CASHIER', stores: ['Norte'] },
      { email: 'staff@demo.local', name: 'Sergio Staff', role: 'STAFF', stores: ['Centro'] },
    ],
  },
  {
    name: 'Other Chain',
    stores: [{ name: 'Sur', devices: [] }],
    users: [{ email: 'admin@other.local', name: 'Otto Admin', role: 'ADMIN', stores: [] }],
  },
];

/** Creates the demo chains in one transaction. Skips when "Demo Retail" already exists. */
export async function seedDemoData(prisma: PrismaClient): Promise<boolean> {
  if (await prisma.company.findFirst({ where: { name: 'Demo Retail' } })) return false;
  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, 10);
  await prisma.$transaction(async (tx) => {
    for (const chain of DEMO_CHAINS) {
      const company = await tx.company.create({ data: { name: chain.name } });
      const storeIds = new Map<string, string>();
      for (const store of chain.stores) {
        const workspace = await tx.workspace.create({
          data: {
            companyId: company.id,
            name: store.name,
            timeZone: 'UTC',
            devices: { create: store.devices.map((name) => ({ name })) },
          },
        });
        storeIds.set(store.name, workspace.id);
      }
      for (const user of chain.users) {
        await tx.user.create({
          data: {
            companyId: company.id,
            email: user.email,
            name: user.name,
            role: user.role,
            passwordHash,
            workspaces: { create: user.stores.map((s) => ({ workspaceId: storeIds.get(s)! })) },
          },
        });
      }
    }
  });
  return true;
}
