import { describe, expect, it } from 'vitest';
import { permissionsFor, type Principal } from '@retail/auth';
import type { NotificationScope } from '@retail/realtime-protocol';
import { notificationsVisibleTo, scopeColumns, scopeOf } from './notification-rows.js';

const [company, centro, norte, me] = [
  'c0000000-0000-4000-8000-000000000000',
  'a0000000-0000-4000-8000-000000000001',
  'a0000000-0000-4000-8000-000000000002',
  'f0000000-0000-4000-8000-000000000005',
];
const principal = (role: Principal['role'], workspaceIds: string[]): Principal => ({
  userId: me,
  companyId: company,
  workspaceIds,
  role,
  permissions: permissionsFor(role),
  sessionId: 'e0000000-0000-4000-8000-000000000006',
  accessVersion: 1,
  expiresAt: 0,
});

describe('notification scope', () => {
  it.each<NotificationScope>([{ type: 'company' }, { type: 'workspace', workspaceId: centro }, { type: 'user', userId: me }])(
    'round-trips %j through its columns',
    (scope) => {
      expect(scopeOf(scopeColumns(scope))).toEqual(scope);
    },
  );

  it('shows a cashier the company, their own stores and themselves only', () => {
    expect(notificationsVisibleTo(principal('CASHIER', [centro]))).toEqual({
      companyId: company,
      OR: [{ scopeType: 'COMPANY' }, { scopeType: 'WORKSPACE', workspaceId: { in: [centro] } }, { scopeType: 'USER', userId: me }],
    });
  });

  it('shows an admin every store of their company, still inside it', () => {
    const where = notificationsVisibleTo(principal('ADMIN', []));
    expect(where.companyId).toBe(company);
    expect(where.OR[1]).toEqual({ scopeType: 'WORKSPACE' });
    expect(notificationsVisibleTo(principal('MANAGER', [centro, norte])).OR[1]).toEqual({
      scopeType: 'WORKSPACE',
      workspaceId: { in: [centro, norte] },
    });
  });
});
