import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { databaseNow, PrismaService, TransactionRunner, type Tx, type Workspace } from '@retail/database';
import { ProductsService } from '@retail/inventory';
import { RealtimeService } from '@retail/realtime';
import { toSafeInteger } from '@retail/common';
import { businessDate, toDateColumn } from '../domain/business-date.js';
import { assertItemsAccepted, assertPaymentAccepted, cartStatus, cartTotal } from '../domain/cart-math.js';
import type { AddPaymentDto, CreateCartDto, SetCartItemsDto } from '../dto/cart.dto.js';
import { lockOpenCart } from './cart-lock.js';
import { PosAccess } from './pos-access.js';
import { CART_INCLUDE, type CartWithLines, toCartPayload, toCartView, toPricedItem, toTender } from '../views/pos.views.js';
import { DailyTotalsService } from './daily-totals.service.js';

/** Carts before checkout. Every change takes the cart's row lock first, so it serialises with checkout. */
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
      const cart = await tx.cart.create({
        data: { workspaceId: device.workspaceId, deviceId: device.id, cashierId: user.userId },
        include: CART_INCLUDE,
      });
      return this.announce(tx, user.companyId, cart);
    });
  }

  async get(user: Principal, id: string) {
    await this.access.cart(user, id);
    return toCartView(await this.prisma.cart.findUniqueOrThrow({ where: { id }, include: CART_INCLUDE }));
  }

  /**
   * Replaces the items, priced at today's product prices. After payments the cart must stay
   * payable: a total below its card and other payments is refused (see assertItemsAccepted).
   */
  async setItems(user: Principal, id: string, { items }: SetCartItemsDto) {
    await this.access.cartToOperate(user, id);
    const products = await this.products.requireMany(
      user.companyId,
      items.map((i) => i.productId),
    );
    return this.transactions.run(async (tx) => {
      const locked = await lockOpenCart(tx, id);
      const priced = items.map((item, position) => ({
        cartId: id,
        productId: item.productId,
        position,
        quantity: item.quantity,
        unitPrice: products[position].price,
      }));
      const total = cartTotal(priced.map(toPricedItem));
      assertItemsAccepted(total, (await tx.payment.findMany({ where: { cartId: id } })).map(toTender));
      await tx.cartItem.deleteMany({ where: { cartId: id } });
      await tx.cartItem.createMany({ data: priced });
      const cart = await tx.cart.update({
        where: { id },
        data: { total, status: cartStatus(total, toSafeInteger(locked.paid)) },
        include: CART_INCLUDE,
      });
      return this.announce(tx, user.companyId, cart);
    });
  }

  async addPayment(user: Principal, id: string, { method, amount }: AddPaymentDto) {
    await this.access.cartToOperate(user, id);
    return this.transactions.run(async (tx) => {
      const locked = await lockOpenCart(tx, id);
      const [total, paidBefore] = [toSafeInteger(locked.total), toSafeInteger(locked.paid)];
      assertPaymentAccepted(total, paidBefore, { method, amount });
      const payment = await tx.payment.create({ data: { cartId: id, method, amount } });
      const paid = paidBefore + amount;
      const cart = await tx.cart.update({ where: { id }, data: { paid, status: cartStatus(total, paid) }, include: CART_INCLUDE });
      const view = this.announce(tx, user.companyId, cart);
      this.realtime.emit(
        'posCartPayment',
        {
          companyId: user.companyId,
          workspaceId: cart.workspaceId,
          deviceId: cart.deviceId,
          cartId: id,
          payment: { id: payment.id, method, amount, createdAt: payment.createdAt.toISOString() },
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
    const { workspace } = await this.access.cartToOperate(user, id);
    return this.transactions.run(async (tx) => {
      await lockOpenCart(tx, id, { status: 'CANCELLED' });
      await this.refundPayments(tx, user, id, workspace);
      return this.announce(tx, user.companyId, await tx.cart.findUniqueOrThrow({ where: { id }, include: CART_INCLUDE }));
    });
  }

  /**
   * One refund per payment, on the store's local day by the database clock, counted in that day's
   * totals as refunds, never as sales. The unique payment id makes it once only, whatever runs
   * concurrently. The drawer counts cash at checkout, so a cancelled cart's cash never entered its
   * expected cash: handed back, it leaves the drawer exact.
   */
  private async refundPayments(tx: Tx, user: Principal, cartId: string, workspace: Workspace) {
    const payments = await tx.payment.findMany({ where: { cartId } });
    if (!payments.length) return;
    const day = businessDate(await databaseNow(tx), workspace.timeZone);
    const refunds = await tx.refund.createManyAndReturn({
      data: payments.map((p) => ({ paymentId: p.id, amount: p.amount, businessDate: toDateColumn(day), refundedById: user.userId })),
      skipDuplicates: true,
    });
    const refunded = new Set(refunds.map((r) => r.paymentId));
    await this.dailyTotals.addRefunds(tx, workspace.id, day, payments.filter((p) => refunded.has(p.id)).map(toTender));
  }

  private announce(tx: Tx, companyId: string, cart: CartWithLines) {
    const view = toCartView(cart);
    this.realtime.emit('posCartUpdated', toCartPayload(companyId, view), { tx });
    return view;
  }
}
