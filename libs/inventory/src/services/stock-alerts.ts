import { Injectable } from '@nestjs/common';
import type { Tx } from '@retail/database';
import { NotificationsService, type PublishNotificationInput } from '@retail/notifications';
import type { ProductRef } from '../domain/product-ref.js';
import type { StockThreshold } from '../domain/stock-thresholds.js';

/** One product of one store falling below a threshold. */
export interface StockCrossing {
  companyId: string;
  workspaceId: string;
  product: ProductRef;
  threshold: StockThreshold;
  quantity: number;
  minQuantity: number;
}

/**
 * The one place inventory raises alerts. The ledger hands it each crossing once (at or above a
 * threshold to below it: see thresholdsCrossed), so no dedupe key is needed: the next crossing
 * alerts again. The notifications are stored in the caller's transaction and sent after it commits.
 */
@Injectable()
export class StockAlerts {
  constructor(private readonly notifications: NotificationsService) {}

  /** Every crossing's warning, in one statement. */
  async crossed(tx: Tx, crossings: StockCrossing[]): Promise<void> {
    await this.notifications.publishMany(tx, crossings.map(toWarning));
  }
}

function toWarning({ companyId, workspaceId, product, threshold, quantity, minQuantity }: StockCrossing): PublishNotificationInput {
  const below = threshold === 'zero' ? 'below zero: sold beyond what the system counted' : `below its minimum of ${minQuantity}`;
  return {
    companyId,
    level: 'WARNING',
    kind: threshold === 'zero' ? 'NEGATIVE_STOCK' : 'LOW_STOCK',
    scope: { type: 'workspace', workspaceId },
    title: threshold === 'zero' ? 'Negative stock' : 'Low stock',
    message: `${product.name} (${product.sku}) is down to ${quantity}, ${below}`,
    data: { productId: product.id, sku: product.sku, name: product.name, workspaceId, quantity, minQuantity },
  };
}
