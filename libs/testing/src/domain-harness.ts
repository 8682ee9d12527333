import { randomUUID } from 'node:crypto';
import { permissionsFor, type Principal } from '@retail/auth';
import { openDriverAdapter, PrismaService, TransactionRunner } from '@retail/database';
import { createTestDatabase } from './database.js';
import { recordingRealtime } from './recording-realtime.js';

/** Domain services' collaborators on a fresh migrated + seeded PostgreSQL database. */
export async function startDomainHarness() {
  const db = await createTestDatabase();
  const prisma = new PrismaService(await openDriverAdapter({ databaseUri: db.uri, dataDir: '' }));
  const { sent, realtime } = recordingRealtime();

  /** A demo user as AccessResolver would resolve their token. */
  const principal = async (email: string): Promise<Principal> => {
    const user = await prisma.user.findUniqueOrThrow({ where: { email }, include: { workspaces: true } });
    return {
      userId: user.id,
      companyId: user.companyId,
      workspaceIds: user.role === 'ADMIN' ? [] : user.workspaces.map((w) => w.workspaceId),
      role: user.role,
      permissions: permissionsFor(user.role),
      // Domain services take the principal as given: no session row is looked up.
      sessionId: randomUUID(),
      accessVersion: user.accessVersion,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    };
  };
  const workspace = async (name: string) => prisma.workspace.findFirstOrThrow({ where: { name } });

  return {
    prisma,
    transactions: new TransactionRunner(prisma),
    realtime,
    sent,
    principal,
    workspace,
    close: async () => {
      await prisma.onApplicationShutdown();
      await db.drop();
    },
  };
}
export type DomainHarness = Awaited<ReturnType<typeof startDomainHarness>>;
