import { Global, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccessChanges, LoginSessions, type Principal } from '@retail/auth';
import { AppConfig, parseEnv } from '@retail/config';
import { PrismaService, TransactionRunner } from '@retail/database';
import { InventoryModule } from '@retail/inventory';
import { PosModule } from '@retail/pos';
import { RealtimeService, TillPresence } from '@retail/realtime';
import { RedisConnections } from '@retail/redis';
import { startDomainHarness } from './domain-harness.js';
import { TEST_JWT_SECRET } from './replica.js';

/**
 * The inventory and POS modules as Nest wires them (so DI is checked too), on a fresh migrated and
 * seeded PostgreSQL database, with the realtime facade recorded.
 */
export async function startRetailApp() {
  const harness = await startDomainHarness();
  const config = new AppConfig(parseEnv({ JWT_SECRET: TEST_JWT_SECRET }));
  // Without Redis: access changes are announced to this process only, and no till has presence.
  const redis = new RedisConnections(config);

  @Global()
  @Module({
    providers: [
      { provide: PrismaService, useValue: harness.prisma },
      { provide: TransactionRunner, useValue: harness.transactions },
      { provide: RealtimeService, useValue: harness.realtime },
      { provide: AppConfig, useValue: config },
      { provide: AccessChanges, useValue: new AccessChanges(redis) },
      { provide: TillPresence, useValue: new TillPresence(config, redis, harness.realtime) },
      LoginSessions,
    ],
    exports: [PrismaService, TransactionRunner, RealtimeService, AppConfig, AccessChanges, TillPresence, LoginSessions],
  })
  class TestInfrastructure {}

  @Module({ imports: [TestInfrastructure, InventoryModule, PosModule] })
  class TestRoot {}

  const app = await NestFactory.createApplicationContext(TestRoot, { logger: false, abortOnError: false });
  const ids = await demoIds(harness.prisma);
  return {
    ...harness,
    ids,
    get: <T>(type: Type<T>) => app.get(type),
    /** A demo user as their token describes them, optionally logged in on a device. */
    as: async (email: string, deviceId?: string): Promise<Principal> => ({
      ...(await harness.principal(email)),
      ...(deviceId
        ? { deviceId, deviceWorkspaceId: (await harness.prisma.posDevice.findUniqueOrThrow({ where: { id: deviceId } })).workspaceId }
        : {}),
    }),
    /** The events recorded since `mark`, e.g. `const mark = sent.length; ...; since(mark)`. */
    since: (mark: number) => harness.sent.slice(mark),
  };
}
export type RetailApp = Awaited<ReturnType<typeof startRetailApp>>;

async function demoIds(prisma: PrismaService) {
  const workspace = (name: string) => prisma.workspace.findFirstOrThrow({ where: { name }, include: { devices: true } });
  // Prices as the API gives them: JS numbers (the column is BIGINT).
  const product = async (sku: string) => {
    const row = await prisma.product.findFirstOrThrow({ where: { sku } });
    return { ...row, price: Number(row.price) };
  };
  const [centro, norte, sur] = await Promise.all([workspace('Centro'), workspace('Norte'), workspace('Sur')]);
  const [coffee, milk, bread, water, tea] = await Promise.all(
    ['COFFEE-250', 'MILK-1L', 'BREAD-LOAF', 'WATER-500', 'TEA-GREEN'].map(product),
  );
  return {
    companyId: centro.companyId,
    centro: centro.id,
    norte: norte.id,
    sur: sur.id,
    centroDevice: centro.devices[0].id,
    norteDevice: norte.devices[0].id,
    coffee,
    milk,
    bread,
    water,
    tea,
  };
}
