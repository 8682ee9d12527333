import { randomUUID } from 'node:crypto';
import type { DailyTotals, Payment, Sale, SaleLine, Tx } from '@retail/database';
import type { Settlement } from '../domain/cart-math.js';
import type { DrawerFigures } from './cash-alerts.js';
import type { SaleWithLines } from '../views/pos.views.js';

type NewLine = Omit<SaleLine, 'saleId' | 'returnedQuantity'>;

export interface SaleToWrite {
  sale: Omit<Sale, 'id' | 'source' | 'occurredAt' | 'sequence' | 'cashSessionId' | 'warnings' | 'contentHash'>;
  lines: NewLine[];
  /** The cart's payments, in their order: they become the sale's. */
  payments: Array<Pick<Payment, 'id' | 'method' | 'createdAt'> & { amount: number }>;
}

// Dates as text in UTC, like Prisma's own DateTime columns, whatever the session's time zone.
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const withLines = (id: string, lines: NewLine[]) =>
  lines.map((line) => ({ saleId: id, ...line, returnedQuantity: 0 })).sort((a, b) => a.position - b.position);

/**
 * A cart's sale, its lines and the link from its payments, in one statement (a round trip per
 * sale, not one per row and per include); answered from what was written, as Prisma's include would.
 */
export async function writeSale(tx: Tx, { sale, lines, payments }: SaleToWrite): Promise<SaleWithLines> {
  const id = randomUUID();
  await tx.$executeRaw`
    WITH sale AS (
      INSERT INTO "Sale" (id, "workspaceId", "deviceId", source, "cashierId", "checkedOutById", "cartId", total, paid, change, "businessDate", "occurredAt", "completedAt")
      VALUES (${id}::uuid, ${sale.workspaceId}::uuid, ${sale.deviceId}::uuid, 'cart', ${sale.cashierId}::uuid, ${sale.checkedOutById}::uuid, ${sale.cartId}::uuid,
        ${sale.total}, ${sale.paid}, ${sale.change}, ${dayOf(sale.businessDate)}::date,
        ${sale.completedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC', ${sale.completedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      RETURNING id
    ), lines AS (
      INSERT INTO "SaleLine" ("saleId", "productId", position, sku, name, quantity, "unitPrice", "lineTotal")
      SELECT sale.id, l.* FROM sale, unnest(
        ${lines.map((l) => l.productId)}::uuid[], ${lines.map((l) => l.position)}::int[], ${lines.map((l) => l.sku)}::text[],
        ${lines.map((l) => l.name)}::text[], ${lines.map((l) => l.quantity)}::int[], ${lines.map((l) => l.unitPrice)}::bigint[],
        ${lines.map((l) => l.lineTotal)}::bigint[]) AS l
    )
    UPDATE "Payment" SET "saleId" = (SELECT id FROM sale) WHERE id = ANY(${payments.map((p) => p.id)}::uuid[])`;
  return {
    id,
    ...sale,
    source: 'cart',
    occurredAt: sale.completedAt,
    sequence: null,
    cashSessionId: null,
    warnings: [],
    contentHash: null,
    lines: withLines(id, lines),
    payments: payments.map(({ id: paymentId, method, amount, createdAt }) => ({
      id: paymentId,
      cartId: sale.cartId,
      saleId: id,
      method,
      amount: BigInt(amount),
      createdAt,
    })),
  };
}

/** A cart sale in its day's totals and, for its cash, in its till's open drawer (if any). */
export interface SaleBooked {
  totals: DailyTotals;
  /** The drawer that took its cash (now named on the sale), with what it held before. */
  drawer: (DrawerFigures & { before: bigint }) | null;
}

/**
 * Counts a cart sale in one statement: its day's totals (INSERT … ON CONFLICT: atomic even for
 * the day's first sale), then its net cash in the till's open drawer, which the sale then names.
 * The totals row is taken before the drawer, as every sale takes them.
 */
export async function bookCartSale(
  tx: Tx,
  sale: { id: string; workspaceId: string; deviceId: string; businessDate: string },
  { total, byMethod }: Pick<Settlement, 'total' | 'byMethod'>,
): Promise<SaleBooked> {
  const [row] = await tx.$queryRaw<[DailyTotals & { drawerId: string | null } & Omit<DrawerFigures, 'id'> & { before: bigint | null }]>`
    WITH day AS (
      INSERT INTO "DailyTotals" AS t ("workspaceId", "businessDate", "salesCount", "grossAmount", "cashAmount", "cardAmount", "otherAmount", "updatedAt")
      VALUES (${sale.workspaceId}::uuid, ${sale.businessDate}::date, 1, ${total}, ${byMethod.CASH}, ${byMethod.CARD}, ${byMethod.OTHER},
        statement_timestamp() AT TIME ZONE 'UTC')
      ON CONFLICT ("workspaceId", "businessDate") DO UPDATE SET
        "salesCount" = t."salesCount" + 1,
        "grossAmount" = t."grossAmount" + EXCLUDED."grossAmount",
        "cashAmount" = t."cashAmount" + EXCLUDED."cashAmount",
        "cardAmount" = t."cardAmount" + EXCLUDED."cardAmount",
        "otherAmount" = t."otherAmount" + EXCLUDED."otherAmount",
        "updatedAt" = EXCLUDED."updatedAt"
      RETURNING t.*
    ), drawer AS (
      UPDATE "CashSession" c SET "expectedCash" = c."expectedCash" + ${byMethod.CASH}::bigint
      WHERE c."openDeviceId" = ${sale.deviceId}::uuid AND ${byMethod.CASH}::bigint > 0 AND EXISTS (SELECT 1 FROM day)
      RETURNING c.id, c."workspaceId", c."deviceId", c."expectedCash", c."cashLimit", c."lateSalesCount", c."lateCashAmount"
    ), named AS (
      UPDATE "Sale" s SET "cashSessionId" = drawer.id FROM drawer WHERE s.id = ${sale.id}::uuid
    )
    SELECT day.*, drawer.id AS "drawerId", drawer."deviceId", drawer."expectedCash", drawer."cashLimit", drawer."lateSalesCount",
      drawer."lateCashAmount", drawer."expectedCash" - ${byMethod.CASH}::bigint AS before
    FROM day LEFT JOIN drawer ON true`;
  const { drawerId, deviceId, expectedCash, cashLimit, lateSalesCount, lateCashAmount, before, ...totals } = row;
  return {
    totals,
    drawer:
      drawerId === null
        ? null
        : {
            id: drawerId,
            workspaceId: sale.workspaceId,
            deviceId,
            expectedCash,
            cashLimit,
            lateSalesCount,
            lateCashAmount,
            before: before!,
          },
  };
}
