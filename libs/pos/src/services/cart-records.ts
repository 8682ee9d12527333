import { canAccessWorkspace, mayUseDevice, type Principal } from '@retail/auth';
import { AppError, toSafeInteger } from '@retail/common';
import type { CartStatus, Db, PaymentMethod, Tx } from '@retail/database';

/** A cart as the API shows it, read whole in one round trip (the pos_cart_state function). */
export interface CartState {
  id: string;
  workspaceId: string;
  deviceId: string;
  cashierId: string;
  status: CartStatus;
  total: number;
  paid: number;
  createdAt: Date;
  updatedAt: Date;
  /** Its store's: the business day of a checkout or a refund follows it. */
  timeZone: string;
  /** Its store is archived: no sale may be made from it. */
  storeArchived: boolean;
  items: Array<{ productId: string; position: number; quantity: number; unitPrice: number; sku: string; name: string }>;
  payments: Array<{ id: string; method: PaymentMethod; amount: number; createdAt: Date; refundedAt: Date | null }>;
}

/** A cart under its row lock, and the database clock once the lock was held. */
export type LockedCart = CartState & { now: Date };

/** What the functions answer: money as text (exact), times as ISO strings with their zone. */
interface StoredCart {
  id: string;
  workspaceId: string;
  deviceId: string;
  cashierId: string;
  status: CartStatus;
  total: string;
  paid: string;
  createdAt: string;
  updatedAt: string;
  timeZone: string;
  storeArchived: boolean;
  items: Array<{ productId: string; position: number; quantity: number; unitPrice: string; sku: string; name: string }>;
  payments: Array<{ id: string; method: PaymentMethod; amount: string; createdAt: string; refundedAt: string | null }>;
  now?: string;
}

const money = (value: string) => toSafeInteger(BigInt(value));

function toCartState({ now: _now, ...row }: StoredCart): CartState {
  return {
    ...row,
    total: money(row.total),
    paid: money(row.paid),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    items: row.items.map((item) => ({ ...item, unitPrice: money(item.unitPrice) })),
    payments: row.payments.map((p) => ({
      ...p,
      amount: money(p.amount),
      createdAt: new Date(p.createdAt),
      refundedAt: p.refundedAt === null ? null : new Date(p.refundedAt),
    })),
  };
}

/** A cart of the caller's stores, or 404 (another company's or store's is not found, like one that does not exist). */
export async function readCart(db: Db, user: Principal, id: string): Promise<CartState> {
  const [{ cart }] = await db.$queryRaw<[{ cart: StoredCart | null }]>`SELECT pos_cart_state(${id}::uuid, ${user.companyId}::uuid) AS cart`;
  if (!cart || !canAccessWorkspace(user, cart.workspaceId)) throw AppError.notFound('Cart');
  return toCartState(cart);
}

/**
 * Takes an OPEN or PAID cart's row lock for this transaction (optionally closing it: completed or
 * cancelled) and answers it as it stands under the lock. A concurrent change waits here, then
 * sees the new status, so of a checkout and a cancel exactly one wins. Only its own device, or
 * someone with pos:manage, may drive a cart (403 device_forbidden); a closed cart is refused, a
 * completed one naming its sale, so a till whose checkout answer was lost can recover it.
 */
export async function lockCart(tx: Tx, user: Principal, id: string, closing?: 'COMPLETED' | 'CANCELLED'): Promise<LockedCart> {
  const [{ cart }] = await tx.$queryRaw<[{ cart: StoredCart | null }]>`
    SELECT pos_lock_cart(${id}::uuid, ${user.companyId}::uuid, ${closing ?? null}) AS cart`;
  if (!cart) return refuseClosed(tx, user, id);
  if (!canAccessWorkspace(user, cart.workspaceId)) throw AppError.notFound('Cart');
  if (!mayUseDevice(user, cart.deviceId)) {
    throw AppError.forbidden('Only its own device, or someone with pos:manage, may use this device', 'device_forbidden');
  }
  return { ...toCartState(cart), now: new Date(cart.now!) };
}

async function refuseClosed(tx: Tx, user: Principal, id: string): Promise<never> {
  const closed = await tx.cart.findFirst({
    where: { id, workspace: { companyId: user.companyId } },
    select: { status: true, workspaceId: true, sale: { select: { id: true } } },
  });
  if (!closed || !canAccessWorkspace(user, closed.workspaceId)) throw AppError.notFound('Cart');
  throw AppError.conflict('cart_closed', 'The cart is already completed or cancelled', {
    status: closed.status,
    ...(closed.sale && { saleId: closed.sale.id }),
  });
}

/** An archived store takes no new carts and no sales. */
export const storeArchived = () => AppError.conflict('store_archived', 'This store is archived: it takes no new carts or sales');

/** A new, empty cart, unless its store is archived (409 store_archived); answers when it was made. */
export async function insertCart(tx: Tx, cart: Pick<CartState, 'id' | 'workspaceId' | 'deviceId' | 'cashierId'>): Promise<Date> {
  const [inserted] = await tx.$queryRaw<[{ createdAt: Date }?]>`
    INSERT INTO "Cart" (id, "workspaceId", "deviceId", "cashierId", "createdAt", "updatedAt")
    SELECT ${cart.id}::uuid, w.id, ${cart.deviceId}::uuid, ${cart.cashierId}::uuid,
      clock_timestamp() AT TIME ZONE 'UTC', clock_timestamp() AT TIME ZONE 'UTC'
    FROM "Workspace" w WHERE w.id = ${cart.workspaceId}::uuid AND w."archivedAt" IS NULL
    RETURNING "createdAt" AT TIME ZONE 'UTC' AS "createdAt"`;
  if (!inserted) throw storeArchived();
  return inserted.createdAt;
}

/**
 * The cart's items, replaced (each product upserted, the others deleted: in any order, so the
 * statement's parts never collide), with its new total and status; answers when it changed.
 */
export async function writeItems(tx: Tx, cartId: string, items: CartState['items'], total: number, status: CartStatus): Promise<Date> {
  const productIds = items.map((i) => i.productId);
  const [{ updatedAt }] = await tx.$queryRaw<[{ updatedAt: Date }]>`
    WITH gone AS (
      DELETE FROM "CartItem" WHERE "cartId" = ${cartId}::uuid AND NOT ("productId" = ANY(${productIds}::uuid[]))
    ), kept AS (
      INSERT INTO "CartItem" AS i ("cartId", "productId", position, quantity, "unitPrice")
      SELECT ${cartId}::uuid, n.* FROM unnest(${productIds}::uuid[], ${items.map((i) => i.position)}::int[],
        ${items.map((i) => i.quantity)}::int[], ${items.map((i) => i.unitPrice)}::bigint[]) AS n
      ON CONFLICT ("cartId", "productId") DO UPDATE SET position = EXCLUDED.position, quantity = EXCLUDED.quantity, "unitPrice" = EXCLUDED."unitPrice"
    )
    UPDATE "Cart" SET total = ${total}, status = ${status}::"CartStatus", "updatedAt" = clock_timestamp() AT TIME ZONE 'UTC'
    WHERE id = ${cartId}::uuid
    RETURNING "updatedAt" AT TIME ZONE 'UTC' AS "updatedAt"`;
  return updatedAt;
}

/** One payment more, with the cart's new paid amount and status, at one instant; answers it. */
export async function writePayment(
  tx: Tx,
  cartId: string,
  payment: { id: string; method: PaymentMethod; amount: number },
  paid: number,
  status: CartStatus,
): Promise<Date> {
  const [{ at }] = await tx.$queryRaw<[{ at: Date }]>`
    WITH payment AS (
      INSERT INTO "Payment" (id, "cartId", method, amount, "createdAt")
      VALUES (${payment.id}::uuid, ${cartId}::uuid, ${payment.method}::"PaymentMethod", ${payment.amount}, statement_timestamp() AT TIME ZONE 'UTC')
    )
    UPDATE "Cart" SET paid = ${paid}, status = ${status}::"CartStatus", "updatedAt" = statement_timestamp() AT TIME ZONE 'UTC'
    WHERE id = ${cartId}::uuid
    RETURNING "updatedAt" AT TIME ZONE 'UTC' AS at`;
  return at;
}
