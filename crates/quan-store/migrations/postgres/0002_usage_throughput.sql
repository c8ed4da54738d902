-- Metering throughput: a usage record costs one index insert (its primary key), not three.
-- Random voucher ids made every batch dirty pages all over usage_records_voucher; the hub view
-- and settlements read whole ranges anyway. Which vouchers a compute supplier has drawn on (for
-- what a supplier may see) lives in a small table written once per (supplier, voucher) pair.
DROP INDEX usage_records_voucher;
DROP INDEX usage_records_product_day;
CREATE TABLE usage_voucher_suppliers (
    supplier_id TEXT NOT NULL,
    voucher_id TEXT NOT NULL,
    PRIMARY KEY (supplier_id, voucher_id)
);
INSERT INTO usage_voucher_suppliers SELECT DISTINCT supplier_id, voucher_id FROM usage_records WHERE voucher_id IS NOT NULL;
