-- Billing units (issue 14 C): a metered product is priced per unit of its billing unit
-- (gpu_hour, card_hour, cpu_core_hour, k_tokens, gb_month, gb_transferred); the old column
-- was the price per GPU-hour, which is the gpu_hour unit's price.
ALTER TABLE products ADD COLUMN billing_unit TEXT NOT NULL DEFAULT 'gpu_hour';
ALTER TABLE products RENAME COLUMN price_per_gpu_hour_fen TO price_per_unit_fen;
-- A record's metered quantity when its product's unit is not accelerator time (core-seconds,
-- tokens, GB-hours, bytes); accelerator time stays in gpu_seconds (0 for the other units), so
-- the GPU-hour figures and rollups count only GPU and card time.
ALTER TABLE usage_records ADD COLUMN quantity BIGINT;
