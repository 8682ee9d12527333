import { ALERT_CONDITIONS } from '../alerts/alert-conditions.js';
import type { Db } from '@retail/database';
import type { PublishNotificationInput } from '../services/notifications.service.js';

/** A stock count still open this long after it was started is overdue. */
export const COUNT_OVERDUE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface OpenCount {
  id: string;
  workspaceId: string;
  createdAt: Date;
  workspace: { companyId: string; name: string };
}

/** Stock counts left open too long, as a system task for their store. */
export async function overdueCountAlerts(db: Db, now: Date, companyId?: string): Promise<PublishNotificationInput[]> {
  const counts = await db.inventoryCount.findMany({
    where: {
      status: 'OPEN',
      createdAt: { lte: new Date(now.getTime() - COUNT_OVERDUE_AFTER_MS) },
      ...(companyId ? { workspace: { companyId } } : {}),
    },
    select: { id: true, workspaceId: true, createdAt: true, workspace: { select: { companyId: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return counts.map(overdueCountAlert);
}

/** Once per count: closing it is the state change, and a closed count is not swept. */
export function overdueCountAlert(count: OpenCount): PublishNotificationInput {
  return {
    companyId: count.workspace.companyId,
    level: 'WARNING',
    kind: 'SYSTEM_TASK',
    scope: { type: 'workspace', workspaceId: count.workspaceId },
    title: 'Stock count overdue',
    message: `The stock count started in ${count.workspace.name} on ${count.createdAt.toISOString().slice(0, 10)} is still open.`,
    data: { countId: count.id, workspaceId: count.workspaceId, startedAt: count.createdAt.toISOString() },
    dedupKey: ALERT_CONDITIONS.overdueCount(count.id),
  };
}
