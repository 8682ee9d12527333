import { Injectable } from '@nestjs/common';
import type { Tx } from '@retail/database';
import { NotificationsService } from '@retail/notifications';
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
 * The one place inventory raises alerts. The ledger calls it once per crossing (at or above a
 * threshold to below it: see thresholdsCrossed), so no dedupe key is needed: the next crossing
 * alerts again. The notification is stored in the caller's transaction and sent after it commits.
 */
@Injectable()
export class StockAlerts {
  constructor(private readonly notifications: NotificationsService) {}

  async crossed(tx: Tx, crossing: StockCrossing): Promise<void> {
    const { companyId, workspaceId, product, threshold, quantity, minQuantity } = crossing;
    const below = threshold === 'zero' ? 'below zero: sold beyond what the system counted' : `below its minimum of ${minQuantity}`;
    await this.notifications.publish(
      {
        companyId,
        level: 'WARNING',
        kind: threshold === 'zero' ? 'NEGATIVE_STOCK' : 'LOW_STOCK',
        scope: { type: 'workspace', workspaceId },
        title: threshold === 'zero' ? 'Negative stock' : 'Low stock',
        message: `${product.name} (${product.sku}) is down to ${quantity}, ${below}`,
        data: { productId: product.id, sku: product.sku, name: product.name, workspaceId, quantity, minQuantity },
      },
      { tx },
    );
  }
}
