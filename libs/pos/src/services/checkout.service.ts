import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { databaseNow, TransactionRunner } from '@retail/database';
import { StockLedger } from '@retail/inventory';
import { RealtimeService } from '@retail/realtime';
import { businessDate, toDateColumn } from '../domain/business-date.js';
import { cartTotal, lineTotal, settle } from '../domain/cart-math.js';
import { CashAlerts } from './cash-alerts.js';
import { CashSessionsService } from './cash-sessions.service.js';
import { lockOpenCart } from './cart-lock.js';
import { DailyTotalsService } from './daily-totals.service.js';
import { PosAccess } from './pos-access.js';
import { writeSale } from './sale-records.js';
import {
  CART_INCLUDE,
  toCartPayload,
  toCartView,
  toDailyTotalsPayload,
  toSalePayload,
  toPricedItem,
  toSaleView,
  toTender,
} from '../views/pos.views.js';

/**
 * Checkout is one transaction: the cart is completed (its row lock guards against a double
 * checkout), the sale with its lines and payments is written, the lines become SALE movements
 * with conditional stock decrements in one statement, and the daily totals and the drawer are incremented in the
 * database. Events are queued on the transaction and leave only once it has committed.
 */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly access: PosAccess,
    private readonly ledger: StockLedger,
    private readonly dailyTotals: DailyTotalsService,
    private readonly cashSessions: CashSessionsService,
    private readonly cashAlerts: CashAlerts,
    private readonly realtime: RealtimeService,
  ) {}

  async checkout(user: Principal, cartId: string) {
    const { workspace } = await this.access.cartToOperate(user, cartId);
    const companyId = user.companyId;
    return this.transactions.run(async (tx) => {
      await lockOpenCart(tx, cartId, { status: 'COMPLETED' });
      const cart = await tx.cart.findUniqueOrThrow({
        where: { id: cartId },
        include: {
          ...CART_INCLUDE,
          items: { include: { product: true }, orderBy: { position: 'asc' } },
          device: { select: { name: true } },
        },
      });
      if (!cart.items.length) throw AppError.unprocessable('cart_empty', 'The cart has no items');
      const money = settle(cartTotal(cart.items.map(toPricedItem)), cart.payments.map(toTender));

      const completedAt = await databaseNow(tx);
      const day = businessDate(completedAt, workspace.timeZone);
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
          completedAt,
        },
        lines: cart.items.map((item) => ({
          productId: item.productId,
          position: item.position,
          sku: item.product.sku,
          name: item.product.name,
          quantity: item.quantity,
          unitPrice: item.unitPrice,
          lineTotal: BigInt(lineTotal(toPricedItem(item))),
        })),
        payments: cart.payments,
      });

      // One set-based statement for every line's stock and movement (product order inside, so concurrent checkouts cannot deadlock).
      const movements = await this.ledger.recordSale(tx, {
        companyId,
        workspaceId: cart.workspaceId,
        userId: user.userId,
        saleId: sale.id,
        lines: cart.items.map((item) => ({ product: item.product, quantity: item.quantity })),
      });
      const totals = await this.dailyTotals.addSale(tx, cart.workspaceId, day, money);
      const drawer = await this.cashSessions.takeCash(tx, sale, money.byMethod.CASH);
      const view = toSaleView({ ...sale, cashSessionId: drawer?.session.id ?? null });
      this.realtime.emit('posCartUpdated', toCartPayload(companyId, toCartView(cart)), { tx });
      this.realtime.posSaleCompleted(toSalePayload(companyId, view), { tx });
      this.realtime.updateDailyTotals(toDailyTotalsPayload(companyId, cart.workspaceId, day, totals), { tx });
      for (const entry of movements) await this.ledger.announce(tx, entry, 'created');
      if (drawer?.passedLimit) await this.cashAlerts.limitPassed(tx, companyId, drawer.session, cart.device.name);
      return view;
    });
  }
}
