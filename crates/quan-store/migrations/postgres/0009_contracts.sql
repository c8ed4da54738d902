-- Both redemption modes and contracts (issue 11). A program says who claims (the supplier, or
-- the enterprise that paid in full and is reimbursed) and what a claim's contract must meet;
-- a contract is registered once by either party; a redemption names its payee, its contract
-- and its proofs; a reimbursement run pays an enterprise what is reimbursable to it, as a
-- settlement run pays a supplier.
ALTER TABLE programs ADD COLUMN redemption_mode TEXT NOT NULL DEFAULT 'supplier_redeems'
    CHECK (redemption_mode IN ('supplier_redeems','enterprise_reimbursed'));
ALTER TABLE programs ADD COLUMN contract_required BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programs ADD COLUMN contract_from TEXT;
ALTER TABLE programs ADD COLUMN contract_until TEXT;
ALTER TABLE programs ADD COLUMN instalments_allowed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programs ADD COLUMN delivery_proof_required BIGINT NOT NULL DEFAULT 0;
CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    contract_number TEXT NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    supplier_id TEXT NOT NULL REFERENCES suppliers(id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (supplier_id, contract_number)
);
CREATE INDEX contracts_enterprise ON contracts(enterprise_id);
ALTER TABLE redemptions ADD COLUMN payee_kind TEXT NOT NULL DEFAULT 'supplier'
    CHECK (payee_kind IN ('supplier','enterprise'));
ALTER TABLE redemptions ADD COLUMN contract_id TEXT REFERENCES contracts(id);
ALTER TABLE redemptions ADD COLUMN payment_proof TEXT;
ALTER TABLE redemptions ADD COLUMN delivery_proof TEXT;
CREATE INDEX redemptions_contract ON redemptions(contract_id);
CREATE INDEX redemptions_enterprise_payee ON redemptions(enterprise_id, payee_kind, status);
CREATE TABLE reimbursements (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    period TEXT NOT NULL,
    total_fen BIGINT NOT NULL,
    receivable_offset_fen BIGINT NOT NULL DEFAULT 0,
    item_count BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (enterprise_id, period)
);
