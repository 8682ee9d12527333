import { Injectable } from '@nestjs/common';
import type { Tx } from '@retail/database';
import { NotificationsService } from '@retail/notifications';
import type { ProductRef } from '../domain/product-ref.js';

export interface LowStockCrossing {
  companyId: string;
  workspaceId: string;
  product: ProductRef;
  quantity: number;
  minQuantity: number;
}

/**
 * The one place inventory raises alerts. The ledger calls it once per crossing (at or above the
 * minimum to below it), so no dedupe key is needed: the next crossing alerts again. The
 * notification is stored in the caller's transaction and sent after it commits.
 */
@Injectable()
export class StockAlerts {
  constructor(private readonly notifications: NotificationsService) {}

  async lowStock(tx: Tx, crossing: LowStockCrossing): Promise<void> {
    const { companyId, workspaceId, product, quantity, minQuantity } = crossing;
    await this.notifications.publish(
      {
        companyId,
        level: 'WARNING',
        kind: 'LOW_STOCK',
        scope: { type: 'workspace', workspaceId },
        title: 'Low stock',
        message: `${product.name} (${product.sku}) is down to ${quantity}, below its minimum of ${minQuantity}`,
        data: { productId: product.id, sku: product.sku, name: product.name, workspaceId, quantity, minQuantity },
      },
      { tx },
    );
  }
}
