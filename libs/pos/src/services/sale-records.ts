import { randomUUID } from 'node:crypto';
import type { Payment, Sale, SaleLine, Tx } from '@retail/database';
import type { SaleWithLines } from '../views/pos.views.js';

export interface SaleToWrite {
  sale: Omit<Sale, 'id'>;
  lines: Array<Omit<SaleLine, 'saleId'>>;
  /** The cart's payments, in their order: they become the sale's. */
  payments: Payment[];
}

/**
 * The sale, its lines and the link from its payments, in one statement (a round trip per sale,
 * not one per row and per include); answered from what was written, as Prisma's include would.
 */
export async function writeSale(tx: Tx, { sale, lines, payments }: SaleToWrite): Promise<SaleWithLines> {
  const id = randomUUID();
  // Both as text in UTC, like Prisma's own DateTime columns, whatever the session's time zone.
  const day = sale.businessDate.toISOString().slice(0, 10);
  await tx.$executeRaw`
    WITH sale AS (
      INSERT INTO "Sale" (id, "workspaceId", "deviceId", "cashierId", "checkedOutById", "cartId", total, paid, change, "businessDate", "completedAt")
      VALUES (${id}::uuid, ${sale.workspaceId}::uuid, ${sale.deviceId}::uuid, ${sale.cashierId}::uuid, ${sale.checkedOutById}::uuid, ${sale.cartId}::uuid,
        ${sale.total}, ${sale.paid}, ${sale.change}, ${day}::date, ${sale.completedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC')
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
    lines: lines.map((line) => ({ saleId: id, ...line })).sort((a, b) => a.position - b.position),
    payments: payments.map((payment) => ({ ...payment, saleId: id })),
  };
}
