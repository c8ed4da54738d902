-- The computing-power registry: compute sites of the compute suppliers, with their city, hub
-- membership, commissioning day and capacity by precision in whole TFLOPS (exact sums).
CREATE TABLE compute_sites (
    id TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL REFERENCES suppliers(id),
    name TEXT NOT NULL,
    city_code TEXT NOT NULL,
    hub TEXT,
    kind TEXT NOT NULL,
    commissioned_on TEXT NOT NULL,
    fp16_tflops BIGINT NOT NULL,
    fp64_tflops BIGINT NOT NULL,
    accelerator_model TEXT,
    accelerator_count BIGINT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE INDEX compute_sites_supplier ON compute_sites (supplier_id);
