-- A cart as the API shows it, read in one round trip: the cart, its store's time zone, its items
-- with their products' sku and name, and its payments with their refunds. Money as text (exact);
-- times with their zone. Null when the cart is not of `company`.
CREATE FUNCTION pos_cart_state(cart_id uuid, company uuid)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', c.id, 'workspaceId', c."workspaceId", 'deviceId', c."deviceId", 'cashierId', c."cashierId", 'status', c.status,
    'total', c.total::text, 'paid', c.paid::text,
    'createdAt', c."createdAt" AT TIME ZONE 'UTC', 'updatedAt', c."updatedAt" AT TIME ZONE 'UTC',
    'timeZone', w."timeZone",
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

-- Takes an OPEN or PAID cart's row lock for the caller's transaction, optionally closing it
-- (`closing`: COMPLETED or CANCELLED), and answers the cart as it is once the lock is held (its
-- state is read by a statement of its own, after any concurrent change it waited for has
-- committed), with `now`: the database clock at that moment, the instant of a checkout. Null when
-- the cart is closed already, or not of `company`.
CREATE FUNCTION pos_lock_cart(cart_id uuid, company uuid, closing text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Cart" c SET "updatedAt" = clock_timestamp() AT TIME ZONE 'UTC', status = COALESCE(closing::"CartStatus", c.status)
  FROM "Workspace" w
  WHERE c.id = cart_id AND c.status IN ('OPEN', 'PAID') AND w.id = c."workspaceId" AND w."companyId" = company;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN pos_cart_state(cart_id, company) || jsonb_build_object('now', clock_timestamp());
END
$$;
