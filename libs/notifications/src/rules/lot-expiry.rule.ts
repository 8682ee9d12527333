import { ALERT_CONDITIONS } from '../alerts/alert-conditions.js';
import { toSafeInteger } from '@retail/common';
import type { Db } from '@retail/database';
import type { PublishNotificationInput } from '../services/notifications.service.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A lot is "expiring soon" this long before its expiry date. */
export const EXPIRING_SOON_WITHIN_MS = 3 * DAY_MS;
/** Lots created this long before the last sweep are looked at again: `createdAt` comes from many writers' clocks. */
const NEW_LOT_OVERLAP_MS = 60 * 60 * 1000;

export interface ExpiringLot {
  id: string;
  quantity: number;
  expiresAt: Date;
  workspaceId: string;
  productId: string;
  workspace: { companyId: string; name: string };
  product: { name: string; sku: string };
}

/**
 * Lots still in stock that have expired or expire soon, as alerts for their store. With `since`
 * (the last sweep), only lots that reached a threshold since then or arrived since then (both
 * indexed): the cost follows what changed, not the years of expired lots behind the watermark.
 */
export async function lotExpiryAlerts(
  db: Db,
  now: Date,
  scope: { companyId?: string; since: Date | null },
): Promise<PublishNotificationInput[]> {
  const { companyId, since } = scope;
  const lots = await db.stockLot.findMany({
    where: {
      quantity: { gt: 0 },
      expiresAt: { lte: new Date(now.getTime() + EXPIRING_SOON_WITHIN_MS) },
      ...(companyId ? { workspace: { companyId } } : {}),
      ...(since ? { OR: [{ expiresAt: { gt: since } }, { createdAt: { gt: new Date(since.getTime() - NEW_LOT_OVERLAP_MS) } }] } : {}),
    },
    select: {
      id: true,
      quantity: true,
      expiresAt: true,
      workspaceId: true,
      productId: true,
      workspace: { select: { companyId: true, name: true } },
      product: { select: { name: true, sku: true } },
    },
    orderBy: { expiresAt: 'asc' },
  });
  return lots.map((lot) => lotExpiryAlert({ ...lot, quantity: toSafeInteger(lot.quantity) }, now));
}

/**
 * One alert per state of a lot: EXPIRED once, EXPIRING once per expiry date (a corrected
 * date warns again). The dedupe key carries exactly that state.
 */
export function lotExpiryAlert(lot: ExpiringLot, now: Date): PublishNotificationInput {
  const expired = lot.expiresAt.getTime() <= now.getTime();
  const day = lot.expiresAt.toISOString().slice(0, 10);
  const what = `${lot.quantity} × ${lot.product.name} (${lot.product.sku}) in ${lot.workspace.name}`;
  return {
    companyId: lot.workspace.companyId,
    level: expired ? 'ALERT' : 'WARNING',
    kind: expired ? 'EXPIRED_PRODUCT' : 'EXPIRING_SOON',
    scope: { type: 'workspace', workspaceId: lot.workspaceId },
    title: expired ? `Expired: ${lot.product.name}` : `Expiring soon: ${lot.product.name}`,
    message: expired ? `${what} expired on ${day}.` : `${what} expires on ${day}.`,
    data: {
      lotId: lot.id,
      productId: lot.productId,
      workspaceId: lot.workspaceId,
      quantity: lot.quantity,
      expiresAt: lot.expiresAt.toISOString(),
    },
    dedupKey: expired ? ALERT_CONDITIONS.expiredLot(lot.id) : ALERT_CONDITIONS.expiringLot(lot.id, lot.expiresAt),
  };
}
