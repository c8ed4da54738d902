-- Metering throughput: a usage record costs one B-tree insert, not four.
-- * WITHOUT ROWID keyed by (supplier_id, record_id): the table is its own primary-key index.
-- * No secondary indexes on usage_records: random voucher ids made every batch dirty pages all
--   over an index. The hub view and settlements read whole ranges anyway.
-- * Which vouchers a compute supplier has drawn on (for what a supplier may see) lives in a
--   small table written once per (supplier, voucher) pair.
CREATE TABLE usage_records_new (
    supplier_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    enterprise_id TEXT NOT NULL,
    voucher_id TEXT,
    program_id TEXT,
    city_code TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    gpu_seconds BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    subsidy_fen BIGINT NOT NULL,
    settlement_id TEXT,
    batch_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (supplier_id, record_id)
) WITHOUT ROWID;
INSERT INTO usage_records_new SELECT supplier_id, record_id, product_id, enterprise_id, voucher_id, program_id, city_code,
    started_at, ended_at, gpu_seconds, amount_fen, subsidy_fen, settlement_id, batch_id, created_at FROM usage_records;
DROP TABLE usage_records;
ALTER TABLE usage_records_new RENAME TO usage_records;

CREATE TABLE usage_voucher_suppliers (
    supplier_id TEXT NOT NULL,
    voucher_id TEXT NOT NULL,
    PRIMARY KEY (supplier_id, voucher_id)
) WITHOUT ROWID;
INSERT INTO usage_voucher_suppliers SELECT DISTINCT supplier_id, voucher_id FROM usage_records WHERE voucher_id IS NOT NULL;
