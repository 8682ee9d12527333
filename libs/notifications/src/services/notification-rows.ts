import type { Principal } from '@retail/auth';
import type { NotificationScope } from '@retail/realtime-protocol';
import type { Notification } from '@retail/database';

/** The scope as stored: a type plus the one column it uses. */
export function scopeColumns(scope: NotificationScope) {
  switch (scope.type) {
    case 'company':
      return { scopeType: 'COMPANY' as const, workspaceId: null, userId: null };
    case 'workspace':
      return { scopeType: 'WORKSPACE' as const, workspaceId: scope.workspaceId, userId: null };
    case 'user':
      return { scopeType: 'USER' as const, workspaceId: null, userId: scope.userId };
  }
}

export function scopeOf(row: Pick<Notification, 'scopeType' | 'workspaceId' | 'userId'>): NotificationScope {
  if (row.scopeType === 'WORKSPACE') return { type: 'workspace', workspaceId: row.workspaceId! };
  if (row.scopeType === 'USER') return { type: 'user', userId: row.userId! };
  return { type: 'company' };
}

/**
 * Prisma filter of what a user may see: their company's company-wide notifications, those of
 * the stores they can access (ADMIN: every store of the company), and those addressed to them.
 */
export function notificationsVisibleTo(user: Principal) {
  return {
    companyId: user.companyId,
    OR: [
      { scopeType: 'COMPANY' as const },
      user.role === 'ADMIN'
        ? { scopeType: 'WORKSPACE' as const }
        : { scopeType: 'WORKSPACE' as const, workspaceId: { in: user.workspaceIds } },
      { scopeType: 'USER' as const, userId: user.userId },
    ],
  };
}
