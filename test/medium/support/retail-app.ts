import { Global, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Principal } from '../../../libs/auth/src/index.js';
import { afterCommit, PrismaService, TransactionRunner, type Tx } from '../../../libs/database/src/index.js';
import { InventoryModule } from '../../../libs/inventory/src/index.js';
import { PosModule } from '../../../libs/pos/src/index.js';
import { RealtimeService } from '../../../libs/realtime/src/index.js';
import { startDomainHarness, type SentEvent } from './domain-harness.js';

/** Every facade method, recording instead of emitting; with a `tx`, only once it commits (like the real one). */
function recordingFacade() {
  const sent: SentEvent[] = [];
  const facade: Record<string, unknown> = {};
  for (const method of Object.getOwnPropertyNames(RealtimeService.prototype).filter((m) => m !== 'constructor')) {
    facade[method] = (payload: unknown, options: { tx?: Tx } = {}) => {
      const send = () => void sent.push({ method, payload });
      if (options.tx) afterCommit(options.tx, send);
      else send();
    };
  }
  return { sent, facade: facade as unknown as RealtimeService };
}

/**
 * The inventory and POS modules as Nest wires them (so DI is checked too), on a fresh migrated and
 * seeded PostgreSQL database, with the realtime facade recorded.
 */
export async function startRetailApp() {
  const harness = await startDomainHarness();
  const { sent, facade } = recordingFacade();

  @Global()
  @Module({
    providers: [
      { provide: PrismaService, useValue: harness.prisma },
      { provide: TransactionRunner, useValue: harness.transactions },
      { provide: RealtimeService, useValue: facade },
    ],
    exports: [PrismaService, TransactionRunner, RealtimeService],
  })
  class TestInfrastructure {}

  @Module({ imports: [TestInfrastructure, InventoryModule, PosModule] })
  class TestRoot {}

  const app = await NestFactory.createApplicationContext(TestRoot, { logger: false });
  const ids = await demoIds(harness.prisma);
  return {
    ...harness,
    sent,
    ids,
    get: <T>(type: Type<T>) => app.get(type),
    /** A demo user as their token describes them, optionally logged in on a device. */
    as: async (email: string, deviceId?: string): Promise<Principal> => ({ ...(await harness.principal(email)), ...(deviceId ? { deviceId } : {}) }),
    /** The events recorded since `mark`, e.g. `const mark = sent.length; ...; since(mark)`. */
    since: (mark: number) => sent.slice(mark),
  };
}
export type RetailApp = Awaited<ReturnType<typeof startRetailApp>>;

async function demoIds(prisma: PrismaService) {
  const store = (name: string) => prisma.workspace.findFirstOrThrow({ where: { name }, include: { devices: true } });
  const product = (sku: string) => prisma.product.findFirstOrThrow({ where: { sku } });
  const [centro, norte, sur] = await Promise.all([store('Centro'), store('Norte'), store('Sur')]);
  const [coffee, milk, bread, water, tea] = await Promise.all(['COFFEE-250', 'MILK-1L', 'BREAD-LOAF', 'WATER-500', 'TEA-GREEN'].map(product));
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
