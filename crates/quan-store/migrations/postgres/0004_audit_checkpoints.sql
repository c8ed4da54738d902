-- Signed checkpoints of the audit chain (quan_domain::Checkpoint): the chain's length and head
-- hash at a moment, signed by the deployment's Ed25519 key.
CREATE TABLE audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    head_hash TEXT NOT NULL,
    at TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL
);
