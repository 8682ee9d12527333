-- Stores managed through the API: opening hours (in the store's time zone), how long a till may be
-- offline while the store is open before an alert, and archiving (history stays, new sales do not).
ALTER TABLE "Workspace" ADD COLUMN "openingHours" JSONB,
ADD COLUMN "offlineAlertAfterSeconds" INTEGER NOT NULL DEFAULT 300,
ADD COLUMN "archivedAt" TIMESTAMP(3);

-- Alerts about tills that dropped while their store is open.
ALTER TYPE "NotificationKind" ADD VALUE 'TILL_OFFLINE';
ALTER TYPE "NotificationKind" ADD VALUE 'STORE_OFFLINE';

-- A cart's state says whether its store is archived: checkout refuses it then, in the same round trip.
CREATE OR REPLACE FUNCTION pos_cart_state(cart_id uuid, company uuid)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', c.id, 'workspaceId', c."workspaceId", 'deviceId', c."deviceId", 'cashierId', c."cashierId", 'status', c.status,
    'total', c.total::text, 'paid', c.paid::text,
    'createdAt', c."createdAt" AT TIME ZONE 'UTC', 'updatedAt', c."updatedAt" AT TIME ZONE 'UTC',
    'timeZone', w."timeZone", 'storeArchived', w."archivedAt" IS NOT NULL,
    'items', COALESCE((
      SELECT jsonb_agg(jsonb_build_object('productId', i."productId", 'position', i.position, 'quantity', i.quantity,
        'unitPrice', i."unitPrice"::text, 'sku', p.sku, 'name', p.name) ORDER BY i.position)
      FROM "CartItem" i JOIN "Product" p ON p.id = i."productId" WHERE i."cartId" = c.id), '[]'),
    'payments', COALESCE((
      SELECT jsonb_agg(jsonb_build_object('id', pm.id, 'method', pm.method, 'amount', pm.amount::text,
        'createdAt', pm."createdAt" AT TIME ZONE 'UTC', 'refundedAt', r."createdAt" AT TIME ZONE 'UTC') ORDER BY pm."createdAt", pm.id)
      FROM "Payment" pm LEFT JOIN "Refund" r ON r."paymentId" = pm.id WHERE pm."cartId" = c.id), '[]'))
  FROM "Cart" c JOIN "Workspace" w ON w.id = c."workspaceId"
  WHERE c.id = cart_id AND w."companyId" = company
$$;
