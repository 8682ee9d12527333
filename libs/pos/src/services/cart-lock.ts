import { AppError } from '@retail/common';
import type { Tx } from '@retail/database';

/**
 * Takes an OPEN or PAID cart's row lock for this transaction (optionally closing it: completed or
 * cancelled); a closed cart is refused. A concurrent change waits here, then sees the new status, so
 * of a checkout and a cancel exactly one wins. A completed cart's refusal names its sale, so a till
 * whose checkout answer was lost can recover it.
 */
export async function lockOpenCart(tx: Tx, id: string, data: { status?: 'COMPLETED' | 'CANCELLED' } = {}) {
  const [cart] = await tx.cart.updateManyAndReturn({
    where: { id, status: { in: ['OPEN', 'PAID'] } },
    data: { updatedAt: new Date(), ...data },
  });
  if (cart) return cart;
  const closed = await tx.cart.findUniqueOrThrow({ where: { id }, select: { status: true, sale: { select: { id: true } } } });
  throw AppError.conflict('cart_closed', 'The cart is already completed or cancelled', {
    status: closed.status,
    ...(closed.sale && { saleId: closed.sale.id }),
  });
}
