import { hashPassword } from '@retail/passwords';
import { newDeviceKey } from '../device-keys.js';
import type { PrismaClient } from '../generated/client.js';
import type { Role } from '../generated/enums.js';
import { seedDemoChat } from './seed-chat.js';

/** Demo-only password for every demo user. Never use demo data in production. */
export const DEMO_PASSWORD = 'demo1234';

interface DemoUser {
  email: string;
  name: string;
  role: Role;
  workspaces: string[];
}

/** Opening stock per store: [quantity, minQuantity]. */
interface DemoProduct {
  sku: string;
  name: string;
  /** Integer minor units (cents). */
  price: number;
  unit?: string;
  stock: Record<string, [number, number]>;
}

const DEMO_CHAINS: Array<{
  name: string;
  workspaces: Array<{ name: string; devices: string[] }>;
  users: DemoUser[];
  products: DemoProduct[];
}> = [
  {
    name: 'Demo Retail',
    workspaces: [
      { name: 'Centro', devices: ['POS-CENTRO-1'] },
      { name: 'Norte', devices: ['POS-NORTE-1'] },
    ],
    users: [
      { email: 'admin@demo.local', name: 'Ana Admin', role: 'ADMIN', workspaces: [] },
      { email: 'manager@demo.local', name: 'Marta Manager', role: 'MANAGER', workspaces: ['Centro', 'Norte'] },
      { email: 'cashier1@demo.local', name: 'Carlos Cashier', role: 'CASHIER', workspaces: ['Centro'] },
      { email: 'cashier2@demo.local', name: 'Clara Cashier', role: 'CASHIER', workspaces: ['Norte'] },
      { email: 'staff@demo.local', name: 'Sergio Staff', role: 'STAFF', workspaces: ['Centro'] },
    ],
    products: [
      // Centro holds 5 with a minimum of 3: the third single-unit sale there raises a low-stock warning.
      { sku: 'COFFEE-250', name: 'Coffee beans 250 g', price: 899, stock: { Centro: [5, 3], Norte: [40, 10] } },
      { sku: 'MILK-1L', name: 'Whole milk 1 L', price: 129, stock: { Centro: [60, 10], Norte: [60, 10] } },
      { sku: 'BREAD-LOAF', name: 'Bread loaf', price: 249, stock: { Centro: [30, 5], Norte: [30, 5] } },
      { sku: 'WATER-500', name: 'Still water 500 ml', price: 99, stock: { Centro: [120, 24], Norte: [120, 24] } },
    ],
  },
  {
    name: 'Other Chain',
    workspaces: [{ name: 'Sur', devices: [] }],
    users: [{ email: 'admin@other.local', name: 'Otto Admin', role: 'ADMIN', workspaces: [] }],
    products: [{ sku: 'TEA-GREEN', name: 'Green tea, 20 bags', price: 450, stock: { Sur: [20, 5] } }],
  },
];

/** Every demo account: a production replica refuses to start while one still has DEMO_PASSWORD. */
export const DEMO_USER_EMAILS = DEMO_CHAINS.flatMap((chain) => chain.users.map((u) => u.email));

/** A demo till's key, random on every seed: printed in development only, never in production logs. */
export interface DemoDeviceKey {
  device: string;
  deviceKey: string;
}

/** The message that shows a developer the demo tills' keys; only ever printed with NODE_ENV=development. */
export const describeDemoDeviceKeys = (keys: DemoDeviceKey[]): string =>
  [
    'Demo till keys (development only; log in on a till with its deviceId and deviceKey):',
    ...keys.map(({ device, deviceKey }) => `  ${device}: ${deviceKey}`),
  ].join('\n');

/**
 * Creates the demo chains in one transaction, and answers the demo tills' keys (they exist nowhere
 * else: only their hashes are stored). Skips, answering undefined, when "Demo Retail" already exists.
 */
export async function seedDemoData(prisma: PrismaClient): Promise<DemoDeviceKey[] | undefined> {
  if (await prisma.company.findFirst({ where: { name: 'Demo Retail' } })) return undefined;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const deviceKeys: DemoDeviceKey[] = [];
  await prisma.$transaction(async (tx) => {
    for (const chain of DEMO_CHAINS) {
      const company = await tx.company.create({ data: { name: chain.name } });
      const workspaceIds = new Map<string, string>();
      for (const demo of chain.workspaces) {
        const keys = demo.devices.map((device) => ({ device, ...newDeviceKey() }));
        const workspace = await tx.workspace.create({
          data: {
            companyId: company.id,
            name: demo.name,
            timeZone: 'UTC',
            devices: { create: keys.map(({ device, keyHash }) => ({ name: device, keyHash })) },
          },
        });
        workspaceIds.set(workspace.name, workspace.id);
        deviceKeys.push(...keys.map(({ device, deviceKey }) => ({ device, deviceKey })));
      }
      let adminId = '';
      for (const user of chain.users) {
        const { id } = await tx.user.create({
          data: {
            companyId: company.id,
            email: user.email,
            name: user.name,
            role: user.role,
            passwordHash,
            workspaces: { create: user.workspaces.map((s) => ({ workspaceId: workspaceIds.get(s)! })) },
          },
        });
        if (user.role === 'ADMIN') adminId ||= id; // records the opening stock
      }
      for (const { stock, ...product } of chain.products) {
        const { id: productId } = await tx.product.create({ data: { ...product, companyId: company.id } });
        for (const [workspace, [quantity, minQuantity]] of Object.entries(stock)) {
          const workspaceId = workspaceIds.get(workspace)!;
          // Stock only changes through movements, the opening stock included.
          await tx.stock.create({ data: { workspaceId, productId, quantity, minQuantity } });
          await tx.inventoryMovement.create({
            data: { type: 'IN', workspaceId, productId, quantity, reason: 'Opening stock', userId: adminId },
          });
        }
      }
    }
    await seedDemoChat(tx);
  });
  return deviceKeys;
}
