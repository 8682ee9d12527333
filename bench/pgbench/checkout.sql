-- One checkout-shaped transaction, 7 statements: the cart, the sale, its lines, the stock
-- decrements, the movements, the daily totals and the outbox events. Two lines per sale, 20 stores.
\set ws random(1, 20)
\set cart random(1, 100000)
BEGIN;
UPDATE cart SET status = 'COMPLETED' WHERE id = :cart;
INSERT INTO sale (workspace_id, cart_id, total) VALUES (:ws, :cart, 597) RETURNING id AS sale_id \gset
INSERT INTO sale_line VALUES (:sale_id, 0, 1, 1, 99), (:sale_id, 1, 2, 2, 498);
UPDATE stock SET quantity = quantity - (CASE product_id WHEN 1 THEN 1 ELSE 2 END) WHERE workspace_id = :ws AND product_id IN (1, 2);
INSERT INTO movement (workspace_id, product_id, quantity, sale_id) VALUES (:ws, 1, 1, :sale_id), (:ws, 2, 2, :sale_id);
INSERT INTO daily_totals VALUES (:ws, current_date, 1, 597) ON CONFLICT (workspace_id, day) DO UPDATE SET sales = daily_totals.sales + 1, gross = daily_totals.gross + 597;
INSERT INTO outbox (namespace, rooms, envelope) VALUES ('/pos', '{workspace:1,company:1}', '{"type":"pos.sale.completed","total":597}'), ('/pos', '{workspace:1}', '{"type":"pos.daily-totals.updated"}'), ('/pos', '{pos:1}', '{"type":"pos.cart.updated"}'), ('/inventory', '{workspace:1}', '{"type":"inventory.movement.created"}'), ('/inventory', '{workspace:1}', '{"type":"inventory.movement.created"}');
COMMIT;
