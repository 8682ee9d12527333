import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { PrismaService, TransactionRunner, type Tx } from '@retail/database';
import { ProductsService } from '@retail/inventory';
import { RealtimeService } from '@retail/realtime';
import { businessDate, toDateColumn } from '../domain/business-date.js';
import { assertItemsAccepted, assertPaymentAccepted, cartStatus, cartTotal } from '../domain/cart-math.js';
import type { AddPaymentDto, CreateCartDto, SetCartItemsDto } from '../dto/cart.dto.js';
import { toCartPayload, toCartView } from '../views/pos.views.js';
import { type CartState, insertCart, lockCart, readCart, writeItems, writePayment } from './cart-records.js';
import { DailyTotalsService } from './daily-totals.service.js';
import { PosAccess } from './pos-access.js';

/**
 * Carts before checkout. Every change takes the cart's row lock first (reading the cart whole
 * under it, in one round trip), so it serialises with checkout; then one statement writes it.
 */
@Injectable()
export class CartsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly access: PosAccess,
    private readonly products: ProductsService,
    private readonly dailyTotals: DailyTotalsService,
    private readonly realtime: RealtimeService,
  ) {}

  async create(user: Principal, { deviceId }: CreateCartDto) {
    const device = await this.access.device(user, deviceId);
    return this.transactions.run(async (tx) => {
      const cart = { id: randomUUID(), workspaceId: device.workspaceId, deviceId: device.id, cashierId: user.userId };
      const createdAt = await insertCart(tx, cart);
      const empty: CartState = {
        ...cart,
        status: 'OPEN',
        total: 0,
        paid: 0,
        createdAt,
        updatedAt: createdAt,
        timeZone: '',
        storeArchived: false,
        items: [],
        payments: [],
      };
      return this.announce(tx, user.companyId, empty);
    });
  }

  async get(user: Principal, id: string) {
    return toCartView(await readCart(this.prisma, user, id));
  }

  /**
   * Replaces the items, priced at today's product prices. After payments the cart must stay
   * payable: a total below its card and other payments is refused (see assertItemsAccepted).
   */
  async setItems(user: Principal, id: string, { items }: SetCartItemsDto) {
    const products = await this.products.requireMany(
      user.companyId,
      items.map((i) => i.productId),
    );
    return this.transactions.run(async (tx) => {
      const cart = await lockCart(tx, user, id);
      const priced = items.map(({ productId, quantity }, position) => {
        const { sku, name, price } = products[position];
        return { productId, position, quantity, unitPrice: Number(price), sku, name };
      });
      const total = cartTotal(priced);
      assertItemsAccepted(total, cart.payments);
      const status = cartStatus(total, cart.paid);
      const updatedAt = await writeItems(tx, id, priced, total, status);
      return this.announce(tx, user.companyId, { ...cart, items: priced, total, status, updatedAt });
    });
  }

  async addPayment(user: Principal, id: string, { method, amount }: AddPaymentDto) {
    return this.transactions.run(async (tx) => {
      const cart = await lockCart(tx, user, id);
      assertPaymentAccepted(cart.total, cart.paid, { method, amount });
      const payment = { id: randomUUID(), method, amount };
      const paid = cart.paid + amount;
      const status = cartStatus(cart.total, paid);
      const at = await writePayment(tx, id, payment, paid, status);
      // One change, one event: the payment carries the cart's new status and sums, no pos.cart.updated besides.
      const view = toCartView({
        ...cart,
        payments: [...cart.payments, { ...payment, createdAt: at, refundedAt: null }],
        paid,
        status,
        updatedAt: at,
      });
      this.realtime.emit(
        'posCartPayment',
        {
          companyId: user.companyId,
          workspaceId: cart.workspaceId,
          deviceId: cart.deviceId,
          cartId: id,
          status,
          payment: { ...payment, createdAt: at.toISOString() },
          total: view.total,
          paid: view.paid,
          remaining: view.remaining,
        },
        { tx },
      );
      return view;
    });
  }

  /**
   * OPEN or PAID → CANCELLED (409 cart_closed otherwise, or if a checkout got there first), and
   * every payment taken is refunded. Stock is only ever taken at checkout, so none goes back.
   */
  async cancel(user: Principal, id: string) {
    return this.transactions.run(async (tx) => {
      const cart = await lockCart(tx, user, id, 'CANCELLED');
      const refundedAt = await this.refundPayments(tx, user, cart);
      return this.announce(tx, user.companyId, {
        ...cart,
        status: 'CANCELLED',
        payments: cart.payments.map((p) => ({ ...p, refundedAt: p.refundedAt ?? refundedAt.get(p.id) ?? null })),
      });
    });
  }

  /**
   * One refund per payment, on the store's local day by the database clock, counted in that day's
   * totals as refunds, never as sales. The unique payment id makes it once only, whatever runs
   * concurrently. The drawer counts cash at checkout, so a cancelled cart's cash never entered its
   * expected cash: handed back, it leaves the drawer exact. Answers when each was refunded.
   */
  private async refundPayments(tx: Tx, user: Principal, cart: CartState & { now: Date }): Promise<Map<string, Date>> {
    if (!cart.payments.length) return new Map();
    const day = businessDate(cart.now, cart.timeZone);
    const refunds = await tx.refund.createManyAndReturn({
      data: cart.payments.map((p) => ({ paymentId: p.id, amount: p.amount, businessDate: toDateColumn(day), refundedById: user.userId })),
      skipDuplicates: true,
    });
    const refunded = new Map(refunds.map((r) => [r.paymentId, r.createdAt]));
    await this.dailyTotals.addRefunds(
      tx,
      cart.workspaceId,
      day,
      cart.payments.filter((p) => refunded.has(p.id)),
    );
    return refunded;
  }

  private announce(tx: Tx, companyId: string, cart: CartState) {
    const view = toCartView(cart);
    this.realtime.emit('posCartUpdated', toCartPayload(companyId, view), { tx });
    return view;
  }
}
