import { describe, expect, it } from 'vitest';
import { EXPIRING_SOON_WITHIN_MS, lotExpiryAlert } from './lot-expiry.rule.js';
import { overdueCountAlert } from './overdue-count.rule.js';

const now = new Date('2026-11-28T12:00:00.000Z');
const lot = (expiresAt: Date) => ({
  id: 'l0000000-0000-4000-8000-000000000001',
  quantity: 4,
  expiresAt,
  workspaceId: 'a0000000-0000-4000-8000-000000000001',
  productId: 'p0000000-0000-4000-8000-000000000001',
  workspace: { companyId: 'c0000000-0000-4000-8000-000000000000', name: 'Centro' },
  product: { name: 'Milk 1L', sku: 'MILK-1L' },
});

describe('alert rules', () => {
  it('raises an expired lot as an ALERT keyed by the lot alone', () => {
    const alert = lotExpiryAlert(lot(now), now);
    expect(alert).toMatchObject({
      level: 'ALERT',
      kind: 'EXPIRED_PRODUCT',
      dedupKey: `EXPIRED:${lot(now).id}`,
      scope: { type: 'workspace' },
    });
    expect(alert.message).toBe('4 × Milk 1L (MILK-1L) in Centro expired on 2026-11-28.');
  });

  it('keys an expiring-soon lot by its expiry date, so a new date warns again', () => {
    const soon = new Date(now.getTime() + EXPIRING_SOON_WITHIN_MS);
    const later = new Date(soon.getTime() - 1000);
    const alert = lotExpiryAlert(lot(soon), now);
    expect(alert).toMatchObject({ level: 'WARNING', kind: 'EXPIRING_SOON' });
    expect(alert.dedupKey).not.toBe(lotExpiryAlert(lot(later), now).dedupKey);
  });

  it('raises an overdue count once per count', () => {
    const count = {
      id: 'k0000000-0000-4000-8000-000000000001',
      workspaceId: 'w',
      createdAt: now,
      workspace: { companyId: 'c', name: 'Norte' },
    };
    expect(overdueCountAlert(count)).toMatchObject({ kind: 'SYSTEM_TASK', dedupKey: `COUNT_OVERDUE:${count.id}` });
  });
});
