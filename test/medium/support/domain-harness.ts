import { permissionsFor, type Principal } from '../../../libs/auth/src/index.js';
import { afterCommit, PrismaService, TransactionRunner, type Tx } from '../../../libs/database/src/index.js';
import { openDriverAdapter } from '../../../libs/database/src/driver-adapter.js';
import type { RealtimeService } from '../../../libs/realtime/src/index.js';
import { createTestDatabase } from '../../support/database.js';

export interface SentEvent {
  method: string;
  payload: any;
}

/**
 * The realtime facade as domain code sees it, recording instead of emitting. Like the real one,
 * an event given a `tx` leaves only once that transaction commits.
 */
function recordingRealtime() {
  const sent: SentEvent[] = [];
  const record = (method: string) => (payload: unknown, options: { tx?: Tx } = {}) => {
    const send = () => void sent.push({ method, payload });
    if (options.tx) afterCommit(options.tx, send);
    else send();
  };
  const realtime = {
    systemAlert: record('systemAlert'),
    systemWarning: record('systemWarning'),
    systemInfo: record('systemInfo'),
    sendMessage: (roomId: string, message: object, options?: { tx?: Tx }) => record('sendMessage')({ roomId, ...message }, options),
    chatTyping: record('chatTyping'),
  };
  return { sent, realtime: realtime as unknown as RealtimeService };
}

/** Domain services' collaborators on a fresh migrated + seeded PostgreSQL database. */
export async function startDomainHarness() {
  const db = await createTestDatabase();
  const prisma = new PrismaService(await openDriverAdapter({ databaseUri: db.uri, dataDir: '' }));
  const { sent, realtime } = recordingRealtime();

  /** A demo user as their token would describe them. */
  const principal = async (email: string): Promise<Principal> => {
    const user = await prisma.user.findUniqueOrThrow({ where: { email }, include: { workspaces: true } });
    return {
      userId: user.id,
      companyId: user.companyId,
      workspaceIds: user.workspaces.map((w) => w.workspaceId),
      role: user.role,
      permissions: permissionsFor(user.role),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    };
  };
  const store = async (name: string) => prisma.workspace.findFirstOrThrow({ where: { name } });

  return {
    prisma,
    transactions: new TransactionRunner(prisma),
    realtime,
    sent,
    principal,
    store,
    close: async () => {
      await prisma.onApplicationShutdown();
      await db.drop();
    },
  };
}
export type DomainHarness = Awaited<ReturnType<typeof startDomainHarness>>;
