import { randomUUID } from 'node:crypto';
import type { Payment, Sale, SaleLine, Tx } from '@retail/database';
import type { SaleWithLines } from '../views/pos.views.js';

type NewLine = Omit<SaleLine, 'saleId' | 'returnedQuantity'>;

export interface SaleToWrite {
  sale: Omit<Sale, 'id' | 'source' | 'occurredAt' | 'sequence' | 'cashSessionId' | 'warnings' | 'contentHash'>;
  lines: NewLine[];
  /** The cart's payments, in their order: they become the sale's. */
  payments: Payment[];
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
    payments: payments.map((payment) => ({ ...payment, saleId: id })),
  };
}
