-- The tables a checkout touches, reduced to the columns it writes (bench only, a scratch database).
CREATE TABLE cart (id bigint PRIMARY KEY, status text NOT NULL);
CREATE TABLE stock (
  workspace_id int,
  product_id int,
  quantity bigint NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (workspace_id, product_id)
);
CREATE TABLE sale (
  id bigserial PRIMARY KEY,
  workspace_id int NOT NULL,
  cart_id bigint NOT NULL,
  total bigint NOT NULL,
  completed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE sale_line (
  sale_id bigint REFERENCES sale,
  position int,
  product_id int NOT NULL,
  quantity int NOT NULL,
  line_total bigint NOT NULL,
  PRIMARY KEY (sale_id, position)
);
CREATE TABLE movement (
  id bigserial PRIMARY KEY,
  workspace_id int NOT NULL,
  product_id int NOT NULL,
  quantity bigint NOT NULL,
  sale_id bigint REFERENCES sale,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE daily_totals (workspace_id int, day date, sales int NOT NULL, gross bigint NOT NULL, PRIMARY KEY (workspace_id, day));
CREATE TABLE outbox (id bigserial PRIMARY KEY, namespace text NOT NULL, rooms text[] NOT NULL, envelope jsonb NOT NULL);
INSERT INTO cart SELECT g, 'PAID' FROM generate_series(1, 100000) g;
INSERT INTO stock SELECT w, p, 1000000000 FROM generate_series(1, 20) w, generate_series(1, 2) p;
