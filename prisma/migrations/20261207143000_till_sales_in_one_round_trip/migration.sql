-- Till sales of one till, written in one round trip (POST /pos/sales and /pos/sales/sync): the
-- sales with their lines and payments, stock and SALE movements, lots, daily totals and drawers.
-- The sales were checked by the server first (libs/pos/src/domain/till-sale-rules.ts); this
-- writes them, and answers what the caller needs for the sales' views, events and alerts.
--
-- A sale already stored (by an earlier or a concurrent upload) is skipped, never counted twice:
-- ON CONFLICT DO NOTHING waits for a concurrent writer of the same id, then leaves its row alone.
-- Rows are taken in one order everywhere (sales by id, stock by product, totals by day, drawers
-- by id, the order the cart checkout takes them in too), so concurrent writers cannot deadlock.
-- Stock may go below zero: what a customer has paid for and taken is gone, counted or not.
--
-- scope: {workspaceId, deviceId, userId}
-- sales: [{id, sequence, cashSessionId, total, paid, change, cash, card, other, paysCash, occurredAt, warnings, contentHash}]
--   (cash, card, other: what the store keeps by method, cash net of change)
-- lines: [{saleId, productId, position, sku, name, quantity, unitPrice, lineTotal}]
-- payments: [{id, saleId, method, amount}]
CREATE FUNCTION pos_record_till_sales(scope jsonb, sales jsonb, lines jsonb, payments jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  store uuid := (scope->>'workspaceId')::uuid;
  till uuid := (scope->>'deviceId')::uuid;
  uploader uuid := (scope->>'userId')::uuid;
  zone text;
  -- The sales written now, with their day, drawer and what the store keeps of each, by method.
  kept jsonb;
  written jsonb;
  unknown_drawers jsonb;
  stored_before jsonb;
  stock jsonb;
  movements jsonb;
  days jsonb;
  drawers jsonb;
BEGIN
  SELECT w."timeZone" INTO zone FROM "Workspace" w WHERE w.id = store;

  -- The sales, each with the drawer it names (only this till's) or the till's open drawer. A sale
  -- naming a drawer that is not this till's is not written: the caller refuses it.
  WITH input AS (
    SELECT s.*, d.id AS drawer, d.status AS drawer_status
    FROM jsonb_to_recordset(sales) AS s(id uuid, sequence int, "cashSessionId" uuid, total bigint, paid bigint, change bigint,
      cash bigint, card bigint, other bigint, "paysCash" boolean, "occurredAt" timestamptz, warnings text[], "contentHash" text)
    LEFT JOIN LATERAL (
      SELECT c.id, c.status FROM "CashSession" c
      WHERE c."deviceId" = till AND CASE WHEN s."cashSessionId" IS NULL THEN c."openDeviceId" = till ELSE c.id = s."cashSessionId" END
    ) d ON true
  ), inserted AS (
    INSERT INTO "Sale" (id, "workspaceId", "deviceId", source, "cashierId", "checkedOutById", sequence, "cashSessionId",
      total, paid, change, "businessDate", "occurredAt", "completedAt", warnings, "contentHash")
    SELECT i.id, store, till, 'till', uploader, uploader, i.sequence, i.drawer, i.total, i.paid, i.change,
      (i."occurredAt" AT TIME ZONE zone)::date, i."occurredAt" AT TIME ZONE 'UTC', statement_timestamp() AT TIME ZONE 'UTC',
      i.warnings || CASE
        WHEN i.drawer IS NULL AND i."paysCash" THEN ARRAY['no_cash_session']
        WHEN i.drawer_status = 'CLOSED' THEN ARRAY['late_sale']
        ELSE ARRAY[]::text[] END,
      i."contentHash"
    FROM input i
    WHERE i."cashSessionId" IS NULL OR i.drawer IS NOT NULL
    ORDER BY i.id
    ON CONFLICT DO NOTHING
    RETURNING id, "cashSessionId", "businessDate", "completedAt", warnings
  )
  SELECT
    COALESCE((SELECT jsonb_agg(jsonb_build_object('id', s.id, 'cashSessionId', s."cashSessionId", 'businessDate', s."businessDate",
      'total', i.total, 'cash', i.cash, 'card', i.card, 'other', i.other)) FROM inserted s JOIN input i USING (id)), '[]'),
    COALESCE((SELECT jsonb_agg(jsonb_build_object('id', s.id, 'cashSessionId', s."cashSessionId", 'businessDate', s."businessDate",
      'completedAt', s."completedAt" AT TIME ZONE 'UTC', 'warnings', s.warnings)) FROM inserted s), '[]'),
    COALESCE((SELECT jsonb_agg(i.id) FROM input i WHERE i."cashSessionId" IS NOT NULL AND i.drawer IS NULL), '[]')
  INTO kept, written, unknown_drawers;

  -- What a sale not written now holds: stored before, or by a concurrent upload (its hash tells
  -- duplicate from conflict); a sale stored by nobody lost on its receipt number.
  SELECT COALESCE(jsonb_agg(jsonb_build_object('id', s.id, 'contentHash', s."contentHash")), '[]') INTO stored_before
  FROM "Sale" s
  WHERE s.id IN (SELECT x.id FROM jsonb_to_recordset(sales) AS x(id uuid))
    AND s.id NOT IN (SELECT w.id FROM jsonb_to_recordset(kept) AS w(id uuid));

  INSERT INTO "SaleLine" ("saleId", "productId", position, sku, name, quantity, "unitPrice", "lineTotal")
  SELECT l."saleId", l."productId", l.position, l.sku, l.name, l.quantity, l."unitPrice", l."lineTotal"
  FROM jsonb_to_recordset(lines) AS l("saleId" uuid, "productId" uuid, position int, sku text, name text, quantity int,
    "unitPrice" bigint, "lineTotal" bigint)
  JOIN jsonb_to_recordset(kept) AS w(id uuid) ON w.id = l."saleId";

  INSERT INTO "Payment" (id, "saleId", method, amount, "createdAt")
  SELECT p.id, p."saleId", p.method::"PaymentMethod", p.amount, statement_timestamp() AT TIME ZONE 'UTC'
  FROM jsonb_to_recordset(payments) AS p(id uuid, "saleId" uuid, method text, amount bigint)
  JOIN jsonb_to_recordset(kept) AS w(id uuid) ON w.id = p."saleId";

  -- Every product's stock once for the whole batch, created if missing, in product order; each
  -- line its SALE movement. `taken` is what the batch took, so the caller sees what it crossed.
  WITH line AS (
    SELECT l."saleId", l."productId", l.quantity::bigint AS quantity
    FROM jsonb_to_recordset(lines) AS l("saleId" uuid, "productId" uuid, quantity int)
    JOIN jsonb_to_recordset(kept) AS w(id uuid) ON w.id = l."saleId"
  ), wanted AS (
    SELECT l."productId", SUM(l.quantity)::bigint AS take FROM line l GROUP BY l."productId"
  ), taken AS (
    INSERT INTO "Stock" AS st ("workspaceId", "productId", quantity, "updatedAt")
    SELECT store, w."productId", -w.take, statement_timestamp() AT TIME ZONE 'UTC' FROM wanted w ORDER BY w."productId"
    ON CONFLICT ("workspaceId", "productId") DO UPDATE SET quantity = st.quantity + EXCLUDED.quantity, "updatedAt" = EXCLUDED."updatedAt"
    RETURNING st."productId", st.quantity, st."minQuantity"
  ), moved AS (
    INSERT INTO "InventoryMovement" (id, type, "productId", "workspaceId", quantity, "userId", "saleId", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), 'SALE', l."productId", store, l.quantity, uploader, l."saleId",
      statement_timestamp() AT TIME ZONE 'UTC', statement_timestamp() AT TIME ZONE 'UTC'
    FROM line l JOIN taken USING ("productId")
    RETURNING id, "productId", "saleId", quantity, "createdAt"
  )
  SELECT
    COALESCE((SELECT jsonb_agg(jsonb_build_object('productId', t."productId", 'quantity', t.quantity::text, 'minQuantity', t."minQuantity",
      'taken', w.take::text) ORDER BY t."productId") FROM taken t JOIN wanted w USING ("productId")), '[]'),
    COALESCE((SELECT jsonb_agg(jsonb_build_object('id', m.id, 'productId', m."productId", 'saleId', m."saleId", 'quantity', m.quantity::text,
      'createdAt', m."createdAt" AT TIME ZONE 'UTC') ORDER BY m."productId", m."saleId") FROM moved m), '[]')
  INTO stock, movements;

  -- Lots first-expiring-first, after the stock rows' locks, which serialise it with other decreases.
  WITH wanted AS (
    SELECT (x->>'productId')::uuid AS "productId", (x->>'taken')::bigint AS quantity FROM jsonb_array_elements(stock) AS x
  ), ranked AS (
    SELECT l.id, l.quantity, w.quantity AS wanted,
      (SUM(l.quantity) OVER (PARTITION BY l."productId" ORDER BY l."expiresAt", l.id) - l.quantity)::bigint AS before
    FROM "StockLot" l JOIN wanted w ON w."productId" = l."productId"
    WHERE l."workspaceId" = store AND l.quantity > 0
  )
  UPDATE "StockLot" l SET quantity = l.quantity - LEAST(r.quantity, r.wanted - r.before)
  FROM ranked r WHERE l.id = r.id AND r.before < r.wanted;

  -- Each day the sales happened on, once.
  WITH day AS (
    SELECT w."businessDate" AS day, count(*)::int AS sales, SUM(w.total)::bigint AS gross,
      SUM(w.cash)::bigint AS cash, SUM(w.card)::bigint AS card, SUM(w.other)::bigint AS other
    FROM jsonb_to_recordset(kept) AS w("businessDate" date, total bigint, cash bigint, card bigint, other bigint)
    GROUP BY w."businessDate"
  ), added AS (
    INSERT INTO "DailyTotals" AS t ("workspaceId", "businessDate", "salesCount", "grossAmount", "cashAmount", "cardAmount", "otherAmount", "updatedAt")
    SELECT store, d.day, d.sales, d.gross, d.cash, d.card, d.other, statement_timestamp() AT TIME ZONE 'UTC' FROM day d ORDER BY d.day
    ON CONFLICT ("workspaceId", "businessDate") DO UPDATE SET
      "salesCount" = t."salesCount" + EXCLUDED."salesCount",
      "grossAmount" = t."grossAmount" + EXCLUDED."grossAmount",
      "cashAmount" = t."cashAmount" + EXCLUDED."cashAmount",
      "cardAmount" = t."cardAmount" + EXCLUDED."cardAmount",
      "otherAmount" = t."otherAmount" + EXCLUDED."otherAmount",
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING t.*
  )
  SELECT COALESCE(jsonb_agg(jsonb_build_object('businessDate', a."businessDate", 'salesCount', a."salesCount",
    'grossAmount', a."grossAmount"::text, 'cashAmount', a."cashAmount"::text, 'cardAmount', a."cardAmount"::text,
    'otherAmount', a."otherAmount"::text) ORDER BY a."businessDate"), '[]') INTO days FROM added a;

  -- Each drawer once, in id order: an open one takes the cash; one closed since counts the sales
  -- apart, as late, its count left as it was (a drawer that closed after the sales named it open
  -- decides here, under its lock, and its sales say so).
  WITH take AS (
    SELECT w."cashSessionId" AS id, SUM(w.cash)::bigint AS cash, count(*)::int AS sales
    FROM jsonb_to_recordset(kept) AS w("cashSessionId" uuid, cash bigint)
    WHERE w."cashSessionId" IS NOT NULL GROUP BY w."cashSessionId"
  ), locked AS MATERIALIZED (
    SELECT c.id, c.status = 'CLOSED' AS late FROM "CashSession" c JOIN take USING (id) ORDER BY c.id FOR UPDATE OF c
  ), taken AS (
    UPDATE "CashSession" c SET
      "expectedCash" = c."expectedCash" + CASE WHEN l.late THEN 0 ELSE t.cash END,
      "lateSalesCount" = c."lateSalesCount" + CASE WHEN l.late THEN t.sales ELSE 0 END,
      "lateCashAmount" = c."lateCashAmount" + CASE WHEN l.late THEN t.cash ELSE 0 END
    FROM take t JOIN locked l USING (id)
    WHERE c.id = t.id
    RETURNING c.id, c."workspaceId", c."deviceId", c."expectedCash", c."cashLimit", c."lateSalesCount", c."lateCashAmount",
      t.cash AS taken, t.sales AS "takenSales", l.late
  ), marked AS (
    UPDATE "Sale" s SET warnings = array_append(s.warnings, 'late_sale')
    FROM taken t
    WHERE t.late AND s."cashSessionId" = t.id AND s.id IN (SELECT w.id FROM jsonb_to_recordset(kept) AS w(id uuid))
      AND NOT 'late_sale' = ANY(s.warnings)
  )
  SELECT COALESCE(jsonb_agg(jsonb_build_object('id', t.id, 'workspaceId', t."workspaceId", 'deviceId', t."deviceId",
    'expectedCash', t."expectedCash"::text, 'cashLimit', t."cashLimit"::text, 'lateSalesCount', t."lateSalesCount",
    'lateCashAmount', t."lateCashAmount"::text, 'taken', t.taken::text, 'takenSales', t."takenSales", 'late', t.late)
    ORDER BY t.id), '[]') INTO drawers FROM taken t;

  RETURN jsonb_build_object('written', written, 'unknownDrawers', unknown_drawers, 'storedBefore', stored_before,
    'stock', stock, 'movements', movements, 'days', days, 'drawers', drawers);
END
$$;
