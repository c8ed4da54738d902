-- Usage rollups: the hub view, the usage summary and the public dashboard read these sums,
-- never the records. The metering writer adds to them in the same transaction as the records
-- (one row per day the usage ended, month it was paid, supplier, product, enterprise, program and
-- hub city), so they are always equal to the sums over usage_records (reconciliation checks it).
CREATE TABLE usage_rollups (
    day TEXT NOT NULL,
    paid_month TEXT NOT NULL,
    supplier_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    enterprise_id TEXT NOT NULL,
    program_id TEXT NOT NULL,
    city_code TEXT NOT NULL,
    records BIGINT NOT NULL,
    gpu_seconds BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    subsidy_fen BIGINT NOT NULL,
    PRIMARY KEY (day, paid_month, supplier_id, product_id, enterprise_id, program_id, city_code)
);
INSERT INTO usage_rollups (day, paid_month, supplier_id, product_id, enterprise_id, program_id, city_code, records, gpu_seconds, amount_fen, subsidy_fen)
SELECT SUBSTR(ended_at, 1, 10), SUBSTR(created_at, 1, 7), supplier_id, product_id, enterprise_id, COALESCE(program_id, ''), COALESCE(city_code, ''),
       COUNT(*), SUM(gpu_seconds), SUM(amount_fen), SUM(subsidy_fen)
FROM usage_records
GROUP BY SUBSTR(ended_at, 1, 10), SUBSTR(created_at, 1, 7), supplier_id, product_id, enterprise_id, COALESCE(program_id, ''), COALESCE(city_code, '');
