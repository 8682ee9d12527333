import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { TransactionRunner } from '@retail/database';
import { StockLedger } from '@retail/inventory';
import { RealtimeService } from '@retail/realtime';
import { businessDate, toDateColumn } from '../domain/business-date.js';
import { cartTotal, lineTotal, passedCashLimit, settle } from '../domain/cart-math.js';
import { toDailyTotalsPayload, toSalePayload, toSaleView } from '../views/pos.views.js';
import { lockCart, storeArchived } from './cart-records.js';
import { CashAlerts } from './cash-alerts.js';
import { bookCartSale, writeSale } from './sale-records.js';

/**
 * Checkout is one transaction of six statements: the cart is locked and completed, read whole
 * under its lock with the database clock (its row lock guards against a double checkout), the
 * sale with its lines and payments is written, the lines become SALE movements with conditional
 * stock decrements in one statement, the lots are consumed, and the daily totals and the drawer
 * are incremented in the database. Events are queued on the transaction and leave only once it
 * has committed.
 */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: StockLedger,
    private readonly cashAlerts: CashAlerts,
    private readonly realtime: RealtimeService,
  ) {}

  async checkout(user: Principal, cartId: string) {
    const companyId = user.companyId;
    return this.transactions.run(async (tx) => {
      const cart = await lockCart(tx, user, cartId, 'COMPLETED');
      if (cart.storeArchived) throw storeArchived();
      if (!cart.items.length) throw AppError.unprocessable('cart_empty', 'The cart has no items');
      const money = settle(cartTotal(cart.items), cart.payments);
      const day = businessDate(cart.now, cart.timeZone);
      const sale = await writeSale(tx, {
        sale: {
          workspaceId: cart.workspaceId,
          deviceId: cart.deviceId,
          cashierId: cart.cashierId,
          checkedOutById: user.userId,
          cartId,
          total: BigInt(money.total),
          paid: BigInt(money.paid),
          change: BigInt(money.change),
          businessDate: toDateColumn(day),
          completedAt: cart.now,
        },
        lines: cart.items.map(({ productId, position, sku, name, quantity, unitPrice }) => ({
          productId,
          position,
          sku,
          name,
          quantity,
          unitPrice: BigInt(unitPrice),
          lineTotal: BigInt(lineTotal({ quantity, unitPrice })),
        })),
        payments: cart.payments,
      });

      // One set-based statement for every line's stock and movement (product order inside, so concurrent checkouts cannot deadlock).
      const movements = await this.ledger.recordSale(tx, {
        companyId,
        workspaceId: cart.workspaceId,
        userId: user.userId,
        saleId: sale.id,
        lines: cart.items.map(({ productId, sku, name, quantity }) => ({ product: { id: productId, sku, name }, quantity })),
      });
      const { totals, drawer } = await bookCartSale(tx, { ...sale, businessDate: day }, money);
      const view = toSaleView({ ...sale, cashSessionId: drawer?.id ?? null });
      this.realtime.posSaleCompleted(toSalePayload(companyId, view), { tx });
      this.realtime.updateDailyTotals(toDailyTotalsPayload(companyId, cart.workspaceId, day, totals), { tx });
      await this.ledger.announce(tx, movements, 'created');
      if (drawer && passedCashLimit(Number(drawer.before), Number(drawer.expectedCash), Number(drawer.cashLimit))) {
        await this.cashAlerts.limitPassed(tx, companyId, drawer);
      }
      return view;
    });
  }
}
