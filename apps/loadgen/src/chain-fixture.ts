import bcrypt from 'bcryptjs';
import { deviceKeyHash, openDriverAdapter, PrismaService } from '@retail/database';

/**
 * The load simulator's own fixture, not demo data and not the product's user/device API: a
 * synthetic chain written straight through Prisma. Its users share one throwaway password, hashed
 * at bcrypt's lowest cost so that logging in hundreds of tills does not dominate a run. Never
 * create it in a production database.
 */
export const CHAIN_PASSWORD = 'loadgen-only-password';
/** The key of every till of a synthetic chain, so that its cashiers log in on them. Loadgen only, like the password. */
export const CHAIN_DEVICE_KEY = 'loadgen-only-device-key-00000000000000000000';

/** Opening stock per store and product: a run never sells a product out (no low-stock alerts). */
const OPENING_STOCK = 1_000_000_000;
const PRODUCTS = [
  { sku: 'LG-WATER', name: 'Loadgen water', price: 99 },
  { sku: 'LG-BREAD', name: 'Loadgen bread', price: 249 },
];

const pad = (n: number, width = 3) => String(n).padStart(width, '0');
const slugOf = (chain: string) => chain.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** Names and logins of a synthetic chain; stores and devices are numbered from 1. */
export const chainNames = (chain: string) => {
  const slug = slugOf(chain);
  return {
    company: chain,
    store: (s: number) => `Store ${pad(s)}`,
    device: (s: number, d: number) => `${slug}-${pad(s)}-${pad(d, 2)}`,
    admin: `admin@${slug}.loadgen.local`,
    manager: (s: number) => `manager-${pad(s)}@${slug}.loadgen.local`,
    cashier: (s: number) => `cashier-${pad(s)}@${slug}.loadgen.local`,
    skus: PRODUCTS.map((p) => p.sku),
  };
};

/**
 * Creates (or completes) chain `chain` with `stores` stores of `devices` POS devices (each keyed
 * with CHAIN_DEVICE_KEY), an admin, a manager and a cashier per store, and two products stocked
 * everywhere. Idempotent: what exists is kept, and its tills get CHAIN_DEVICE_KEY again.
 */
export async function setupChain(options: { databaseUri: string; chain: string; stores: number; devices: number }): Promise<void> {
  const names = chainNames(options.chain);
  const prisma = new PrismaService(await openDriverAdapter({ databaseUri: options.databaseUri, dataDir: '' }));
  try {
    const passwordHash = await bcrypt.hash(CHAIN_PASSWORD, 4);
    const company =
      (await prisma.company.findFirst({ where: { name: names.company } })) ??
      (await prisma.company.create({ data: { name: names.company } }));
    const storeNumbers = Array.from({ length: options.stores }, (_, i) => i + 1);
    await prisma.workspace.createMany({
      data: storeNumbers.map((s) => ({ companyId: company.id, name: names.store(s), timeZone: 'UTC' })),
      skipDuplicates: true,
    });
    const stores = await prisma.workspace.findMany({
      where: { companyId: company.id, name: { in: storeNumbers.map(names.store) } },
      orderBy: { name: 'asc' },
    });
    const keyHash = deviceKeyHash(CHAIN_DEVICE_KEY);
    await prisma.posDevice.createMany({
      data: stores.flatMap((store, i) =>
        Array.from({ length: options.devices }, (_, d) => ({ workspaceId: store.id, name: names.device(i + 1, d + 1), keyHash })),
      ),
      skipDuplicates: true,
    });
    // Tills kept from an earlier setup, or re-keyed through the API since, take the chain's key again.
    await prisma.posDevice.updateMany({ where: { workspaceId: { in: stores.map((s) => s.id) } }, data: { keyHash } });
    const users = [
      { email: names.admin, name: 'Loadgen Admin', role: 'ADMIN' as const },
      ...storeNumbers.flatMap((s) => [
        { email: names.manager(s), name: `Loadgen Manager ${s}`, role: 'MANAGER' as const },
        { email: names.cashier(s), name: `Loadgen Cashier ${s}`, role: 'CASHIER' as const },
      ]),
    ];
    await prisma.user.createMany({ data: users.map((u) => ({ ...u, companyId: company.id, passwordHash })), skipDuplicates: true });
    const userIds = new Map(
      (await prisma.user.findMany({ where: { email: { in: users.map((u) => u.email) } } })).map((u) => [u.email, u.id] as const),
    );
    await prisma.workspaceMember.createMany({
      data: stores.flatMap((store, i) => [
        { workspaceId: store.id, userId: userIds.get(names.manager(i + 1))! },
        { workspaceId: store.id, userId: userIds.get(names.cashier(i + 1))! },
      ]),
      skipDuplicates: true,
    });
    await prisma.product.createMany({ data: PRODUCTS.map((p) => ({ ...p, companyId: company.id })), skipDuplicates: true });
    const products = await prisma.product.findMany({ where: { companyId: company.id, sku: { in: names.skus } } });
    const stocked = new Set(
      (await prisma.stock.findMany({ where: { workspaceId: { in: stores.map((s) => s.id) } } })).map(
        (s) => `${s.workspaceId}/${s.productId}`,
      ),
    );
    const missing = stores.flatMap((store) => products.filter((p) => !stocked.has(`${store.id}/${p.id}`)).map((p) => ({ store, p })));
    // Stock only changes through movements, the opening stock included.
    await prisma.$transaction([
      prisma.stock.createMany({
        data: missing.map(({ store, p }) => ({ workspaceId: store.id, productId: p.id, quantity: OPENING_STOCK })),
      }),
      prisma.inventoryMovement.createMany({
        data: missing.map(({ store, p }) => ({
          type: 'IN' as const,
          workspaceId: store.id,
          productId: p.id,
          quantity: OPENING_STOCK,
          reason: 'Loadgen opening stock',
          userId: userIds.get(names.admin)!,
        })),
      }),
    ]);
  } finally {
    await prisma.onApplicationShutdown();
  }
}
