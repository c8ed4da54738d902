-- Why a supplier or product is suspended (suppliers.suspended and products.suspended came in 0005).
ALTER TABLE suppliers ADD COLUMN suspend_reason TEXT;
ALTER TABLE products ADD COLUMN suspend_reason TEXT;
