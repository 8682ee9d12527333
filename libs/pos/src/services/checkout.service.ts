import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { databaseNow, TransactionRunner } from '@retail/database';
import { type LedgerEntry, StockLedger } from '@retail/inventory';
import { RealtimeService } from '@retail/realtime';
import { businessDate, toDateColumn } from '../domain/business-date.js';
import { cartTotal, lineTotal, settle } from '../domain/cart-math.js';
import { CashAlerts } from './cash-alerts.js';
import { CashSessionsService } from './cash-sessions.service.js';
import { lockOpenCart } from './cart-lock.js';
import { DailyTotalsService } from './daily-totals.service.js';
import { PosAccess } from './pos-access.js';
import {
  CART_INCLUDE,
  SALE_INCLUDE,
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
 * checkout), the sale with its lines and payments is written, each line becomes a SALE movement
 * with a conditional stock decrement, and the daily totals and the drawer are incremented in the
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
      const sale = await tx.sale.create({
        data: {
          workspaceId: cart.workspaceId,
          deviceId: cart.deviceId,
          cashierId: cart.cashierId,
          checkedOutById: user.userId,
          cartId,
          total: money.total,
          paid: money.paid,
          change: money.change,
          businessDate: toDateColumn(day),
          completedAt,
          lines: {
            create: cart.items.map((item) => ({
              productId: item.productId,
              position: item.position,
              sku: item.product.sku,
              name: item.product.name,
              quantity: item.quantity,
              unitPrice: item.unitPrice,
              lineTotal: lineTotal(toPricedItem(item)),
            })),
          },
          payments: { connect: cart.payments.map((p) => ({ id: p.id })) },
        },
        include: SALE_INCLUDE,
      });

      // Product-id order, like every multi-row stock change, so concurrent checkouts cannot deadlock.
      const movements: LedgerEntry[] = [];
      for (const item of [...cart.items].sort((a, b) => a.productId.localeCompare(b.productId))) {
        movements.push(
          await this.ledger.record(tx, {
            companyId,
            type: 'SALE',
            product: item.product,
            workspaceId: cart.workspaceId,
            quantity: item.quantity,
            userId: user.userId,
            saleId: sale.id,
          }),
        );
      }
      const totals = await this.dailyTotals.add(tx, cart.workspaceId, day, money.total, money.byMethod);
      const drawer = await this.cashSessions.takeCash(tx, cart.deviceId, money.byMethod.CASH);

      const view = toSaleView(sale);
      this.realtime.emit('posCartUpdated', toCartPayload(companyId, toCartView(cart)), { tx });
      this.realtime.posSaleCompleted(toSalePayload(companyId, view), { tx });
      this.realtime.updateDailyTotals(toDailyTotalsPayload(companyId, cart.workspaceId, day, totals), { tx });
      for (const entry of movements) await this.ledger.announce(tx, entry, 'created');
      if (drawer?.passedLimit) await this.cashAlerts.limitPassed(tx, companyId, drawer.session, cart.device.name);
      return view;
    });
  }
}
