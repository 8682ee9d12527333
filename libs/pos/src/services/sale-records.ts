import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Payment, PaymentMethod, Sale, SaleLine, Tx } from '@retail/database';
import type { SaleWithLines } from '../views/pos.views.js';

type NewLine = Omit<SaleLine, 'saleId' | 'returnedQuantity'>;

export interface SaleToWrite {
  sale: Omit<Sale, 'id' | 'source' | 'occurredAt' | 'sequence' | 'cashSessionId' | 'warnings' | 'contentHash'>;
  lines: NewLine[];
  /** The cart's payments, in their order: they become the sale's. */
  payments: Payment[];
}

/** A till sale as it is stored: its id and content are the till's, its figures checked by the server. */
export interface TillSaleToWrite {
  sale: Omit<Sale, 'workspaceId' | 'deviceId' | 'source' | 'cashierId' | 'checkedOutById' | 'cartId' | 'completedAt'>;
  lines: NewLine[];
  payments: Array<{ method: PaymentMethod; amount: number }>;
}

export interface TillSalesScope {
  workspaceId: string;
  deviceId: string;
  /** Who was logged in on the till: its cashier, and who uploaded it. */
  userId: string;
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

/**
 * Till sales, their lines and payments, in one statement however many. A sale whose id (or
 * receipt number) is already stored is skipped, not an error: ON CONFLICT DO NOTHING waits for a
 * concurrent writer of the same id to finish, then leaves its row alone. Sales are inserted in id
 * order, so two batches naming the same sales in any order cannot deadlock. Answers the sales it
 * wrote, as Prisma's include would; the rest are for the caller to look up.
 */
export async function insertTillSales(tx: Tx, scope: TillSalesScope, sales: TillSaleToWrite[]): Promise<SaleWithLines[]> {
  if (!sales.length) return [];
  // Time-ordered ids keep the payments in the order the till gave them (the view sorts by createdAt, then id).
  const paid = sales.map(({ sale, payments }) => payments.map((payment) => ({ id: uuidv7(), saleId: sale.id, ...payment })));
  const rows = sales.map(({ sale }) => ({ ...sale, businessDate: dayOf(sale.businessDate), occurredAt: sale.occurredAt.toISOString() }));
  const lines = sales.flatMap(({ sale, lines }) => lines.map((line) => ({ saleId: sale.id, ...line })));
  const json = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const written = await tx.$queryRaw<Array<{ id: string; completedAt: Date }>>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${json(rows)}::jsonb) AS s(id uuid, sequence int, "cashSessionId" uuid, total bigint, paid bigint,
        change bigint, "businessDate" date, "occurredAt" timestamptz, warnings text[], "contentHash" text)
    ), sale AS (
      INSERT INTO "Sale" (id, "workspaceId", "deviceId", source, "cashierId", "checkedOutById", sequence, "cashSessionId",
        total, paid, change, "businessDate", "occurredAt", "completedAt", warnings, "contentHash")
      SELECT id, ${scope.workspaceId}::uuid, ${scope.deviceId}::uuid, 'till', ${scope.userId}::uuid, ${scope.userId}::uuid, sequence, "cashSessionId",
        total, paid, change, "businessDate", "occurredAt" AT TIME ZONE 'UTC', statement_timestamp() AT TIME ZONE 'UTC', warnings, "contentHash"
      FROM input ORDER BY id
      ON CONFLICT DO NOTHING
      RETURNING id, "completedAt"
    ), line AS (
      INSERT INTO "SaleLine" ("saleId", "productId", position, sku, name, quantity, "unitPrice", "lineTotal")
      SELECT l."saleId", l."productId", l.position, l.sku, l.name, l.quantity, l."unitPrice", l."lineTotal"
      FROM jsonb_to_recordset(${json(lines)}::jsonb) AS l("saleId" uuid, "productId" uuid, position int, sku text, name text,
        quantity int, "unitPrice" bigint, "lineTotal" bigint)
      JOIN sale ON sale.id = l."saleId"
    ), payment AS (
      INSERT INTO "Payment" (id, "saleId", method, amount, "createdAt")
      SELECT p.id, p."saleId", p.method::"PaymentMethod", p.amount, sale."completedAt"
      FROM jsonb_to_recordset(${json(paid.flat())}::jsonb) AS p(id uuid, "saleId" uuid, method text, amount bigint)
      JOIN sale ON sale.id = p."saleId"
    )
    SELECT id, "completedAt" FROM sale`;
  const completedAt = new Map(written.map((w) => [w.id, w.completedAt]));
  return sales.flatMap(({ sale, lines }, i) => {
    const at = completedAt.get(sale.id);
    if (!at) return [];
    const { workspaceId, deviceId, userId } = scope;
    return [
      {
        ...sale,
        workspaceId,
        deviceId,
        source: 'till' as const,
        cashierId: userId,
        checkedOutById: userId,
        cartId: null,
        completedAt: at,
        lines: withLines(sale.id, lines),
        payments: paid[i].map(({ id, method, amount }) => ({
          id,
          saleId: sale.id,
          cartId: null,
          method,
          amount: BigInt(amount),
          createdAt: at,
        })),
      },
    ];
  });
}
