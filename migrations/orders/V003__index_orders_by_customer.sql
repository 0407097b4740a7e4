-- servicedb:no-transaction
-- Built without blocking writes; runs outside a transaction (see README, "Migrations").
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id ON orders (customer_id);
