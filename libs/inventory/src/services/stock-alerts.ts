import { Injectable } from '@nestjs/common';
import type { Tx } from '../../../database/src/index.js';
import { RealtimeService } from '../../../realtime/src/index.js';
import type { ProductRef } from './stock-ledger.service.js';

export interface LowStockCrossing {
  companyId: string;
  workspaceId: string;
  product: ProductRef;
  quantity: number;
  minQuantity: number;
}

/**
 * The one place inventory raises alerts. The ledger calls it once per crossing; it goes out
 * only after the transaction commits. To be rewired to NotificationsService.publish (persisted,
 * deduped) once libs/notifications exists.
 */
@Injectable()
export class StockAlerts {
  constructor(private readonly realtime: RealtimeService) {}

  async lowStock(tx: Tx, crossing: LowStockCrossing): Promise<void> {
    const { companyId, workspaceId, product, quantity, minQuantity } = crossing;
    await this.realtime.systemWarning(
      {
        companyId,
        title: 'Low stock',
        message: `${product.name} (${product.sku}) is down to ${quantity}, below its minimum of ${minQuantity}`,
        kind: 'LOW_STOCK',
        scope: { type: 'workspace', workspaceId },
        data: { productId: product.id, sku: product.sku, name: product.name, workspaceId, quantity, minQuantity },
      },
      { tx },
    );
  }
}
