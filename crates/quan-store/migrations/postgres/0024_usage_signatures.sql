-- Signed usage (issue 14 D). A compute supplier's Ed25519 public keys: at most one live key per
-- supplier (the partial unique index); a rotation retires the old key, which stays so that the
-- batches it signed remain verifiable.
CREATE TABLE supplier_usage_keys (
    id TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL REFERENCES suppliers(id),
    public_key TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    retired_at TEXT
);
CREATE UNIQUE INDEX supplier_usage_keys_live ON supplier_usage_keys (supplier_id) WHERE retired_at IS NULL;

-- Every signed batch as it was sent: the body, its format, the Idempotency-Key and signature the
-- supplier signed, and the key. `quan usage verify` parses the body again and checks the stored
-- records of the batch against it.
CREATE TABLE usage_batch_signatures (
    batch_id TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL,
    key_id TEXT NOT NULL REFERENCES supplier_usage_keys(id),
    idempotency_key TEXT NOT NULL,
    signature TEXT NOT NULL,
    body_format TEXT NOT NULL CHECK (body_format IN ('json', 'ndjson')),
    body BYTEA NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX usage_batch_signatures_supplier ON usage_batch_signatures (supplier_id, received_at);
