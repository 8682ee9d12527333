import { Injectable } from '@nestjs/common';
import type { Tx } from '@retail/database';
import { ALERT_CONDITIONS, NotificationsService, type PublishNotificationInput } from '@retail/notifications';
import type { ProductRef } from '../domain/product-ref.js';
import type { StockThreshold, ThresholdChange } from '../domain/stock-thresholds.js';

/** One product of one store below a threshold after a decrease, or back at it after an increase. */
export interface StockCondition extends ThresholdChange {
  companyId: string;
  workspaceId: string;
  product: ProductRef;
  quantity: number;
  minQuantity: number;
}

const conditionKey = ({ threshold, workspaceId, product }: { threshold: StockThreshold; workspaceId: string; product: ProductRef }) =>
  threshold === 'zero' ? ALERT_CONDITIONS.negativeStock(workspaceId, product.id) : ALERT_CONDITIONS.lowStock(workspaceId, product.id);

/**
 * The one place inventory raises and clears stock alerts. Every decrease that leaves stock below a
 * threshold is its condition seen: the first opens the alert, the next ones count on it (its
 * dedupKey), never a second alert. Stock back at the threshold resolves it. Written in the
 * caller's transaction, sent after it commits.
 */
@Injectable()
export class StockAlerts {
  constructor(private readonly notifications: NotificationsService) {}

  /** One statement raises every condition seen, one resolves every condition cleared (each only when there is one). */
  async changed(tx: Tx, conditions: StockCondition[]): Promise<void> {
    await this.notifications.publishMany(tx, conditions.filter((c) => c.change === 'below').map(toWarning));
    const cleared = conditions.filter((c) => c.change === 'back');
    for (const companyId of new Set(cleared.map((c) => c.companyId))) {
      const keys = cleared.filter((c) => c.companyId === companyId).map(conditionKey);
      await this.notifications.resolveConditions(tx, companyId, keys);
    }
  }

  /** The store's minimum for the product no longer exceeds its stock: its low-stock alert resolves. */
  async lowStockCleared(tx: Tx, companyId: string, workspaceId: string, productId: string): Promise<void> {
    await this.notifications.resolveCondition(tx, companyId, ALERT_CONDITIONS.lowStock(workspaceId, productId));
  }
}

function toWarning(condition: StockCondition): PublishNotificationInput {
  const { companyId, workspaceId, product, threshold, quantity, minQuantity } = condition;
  const below = threshold === 'zero' ? 'below zero: sold beyond what the system counted' : `below its minimum of ${minQuantity}`;
  return {
    companyId,
    level: 'WARNING',
    kind: threshold === 'zero' ? 'NEGATIVE_STOCK' : 'LOW_STOCK',
    scope: { type: 'workspace', workspaceId },
    title: threshold === 'zero' ? 'Negative stock' : 'Low stock',
    message: `${product.name} (${product.sku}) is down to ${quantity}, ${below}`,
    data: { productId: product.id, sku: product.sku, name: product.name, workspaceId, quantity, minQuantity },
    dedupKey: conditionKey(condition),
  };
}
