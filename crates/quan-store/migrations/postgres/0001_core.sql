-- Quan core schema. Money is BIGINT fen; booleans are BIGINT 0/1; dates are TEXT YYYY-MM-DD;
-- timestamps TEXT RFC 3339 UTC. The same schema exists for SQLite in ../sqlite/.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin','reviewer','enterprise','supplier','auditor')),
    enterprise_id TEXT,
    supplier_id TEXT,
    display_name TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE enterprises (
    id TEXT PRIMARY KEY,
    uscc TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    city_code TEXT NOT NULL,
    industry TEXT NOT NULL,
    size_class TEXT NOT NULL,
    pilot_zone BIGINT NOT NULL DEFAULT 0,
    legal_rep TEXT NOT NULL,
    shareholders TEXT NOT NULL DEFAULT '[]',
    dishonest BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX enterprises_city ON enterprises(city_code);
CREATE TABLE suppliers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    uscc TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    city_code TEXT NOT NULL,
    legal_rep TEXT NOT NULL,
    shareholders TEXT NOT NULL DEFAULT '[]',
    dishonest BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL REFERENCES suppliers(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    city_code TEXT,
    gpu_model TEXT,
    price_per_gpu_hour_fen BIGINT,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX products_supplier ON products(supplier_id);
CREATE TABLE funding_sources (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province','city','county')),
    city_code TEXT,
    appropriated_fen BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE programs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    voucher_type TEXT NOT NULL,
    year BIGINT NOT NULL,
    rate_bps BIGINT NOT NULL,
    face_value_cap_fen BIGINT NOT NULL,
    enterprise_year_cap_fen BIGINT NOT NULL,
    apply_from TEXT NOT NULL,
    apply_until TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    notice_days BIGINT NOT NULL,
    eligible_cities TEXT NOT NULL DEFAULT '[]',
    eligible_sizes TEXT NOT NULL DEFAULT '[]',
    eligible_industries TEXT NOT NULL DEFAULT '[]',
    budget_fen BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE program_funding (
    program_id TEXT NOT NULL REFERENCES programs(id),
    source_id TEXT NOT NULL REFERENCES funding_sources(id),
    share_bps BIGINT NOT NULL,
    allocated_fen BIGINT NOT NULL,
    PRIMARY KEY (program_id, source_id)
);
CREATE TABLE eligible_products (
    program_id TEXT NOT NULL REFERENCES programs(id),
    product_id TEXT NOT NULL REFERENCES products(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (program_id, product_id)
);
CREATE INDEX eligible_products_product ON eligible_products(product_id);
CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs(id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    amount_fen BIGINT NOT NULL,
    plan TEXT NOT NULL,
    status TEXT NOT NULL,
    approved_fen BIGINT,
    reason TEXT,
    reviewer_id TEXT,
    reviewed_at TEXT,
    notice_ends_on TEXT,
    voucher_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX applications_enterprise ON applications(enterprise_id);
CREATE INDEX applications_program_status ON applications(program_id, status);
CREATE TABLE objections (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications(id),
    filed_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    resolution_note TEXT,
    resolved_by TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE TABLE vouchers (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL UNIQUE REFERENCES applications(id),
    program_id TEXT NOT NULL REFERENCES programs(id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    voucher_type TEXT NOT NULL,
    face_value_fen BIGINT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    status TEXT NOT NULL,
    issued_at TEXT NOT NULL
);
CREATE INDEX vouchers_enterprise ON vouchers(enterprise_id);
-- Per enterprise, program and year: subsidy used against the program's yearly cap.
CREATE TABLE enterprise_year_use (
    enterprise_id TEXT NOT NULL,
    program_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    used_fen BIGINT NOT NULL,
    cap_fen BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, program_id, year),
    CHECK (used_fen >= 0 AND used_fen <= cap_fen)
);
CREATE TABLE redemptions (
    id TEXT PRIMARY KEY,
    voucher_id TEXT NOT NULL REFERENCES vouchers(id),
    program_id TEXT NOT NULL,
    enterprise_id TEXT NOT NULL,
    supplier_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    invoice_number TEXT NOT NULL UNIQUE,
    invoice_amount_fen BIGINT NOT NULL,
    invoice_date TEXT NOT NULL,
    subsidy_fen BIGINT NOT NULL,
    enterprise_pays_fen BIGINT NOT NULL,
    status TEXT NOT NULL,
    settlement_id TEXT,
    clawback_reason TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX redemptions_voucher ON redemptions(voucher_id);
CREATE INDEX redemptions_supplier_status ON redemptions(supplier_id, status);
CREATE TABLE settlements (
    id TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL REFERENCES suppliers(id),
    period TEXT NOT NULL,
    total_fen BIGINT NOT NULL,
    item_count BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (supplier_id, period)
);
-- Double-entry ledger. balance = credits - debits (posted); pending amounts are reservations.
-- The CHECK is the last line of defence: the code checks the bound first to give a clear error.
CREATE TABLE ledger_accounts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    may_go_negative BIGINT NOT NULL DEFAULT 0,
    balance BIGINT NOT NULL DEFAULT 0,
    debits_pending BIGINT NOT NULL DEFAULT 0,
    credits_pending BIGINT NOT NULL DEFAULT 0,
    CHECK (may_go_negative = 1 OR balance - debits_pending >= 0),
    CHECK (debits_pending >= 0 AND credits_pending >= 0)
);
CREATE TABLE ledger_transfers (
    id TEXT PRIMARY KEY,
    debit TEXT NOT NULL REFERENCES ledger_accounts(id),
    credit TEXT NOT NULL REFERENCES ledger_accounts(id),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    kind TEXT NOT NULL,
    pending_id TEXT,
    pending_state TEXT,
    code TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ledger_transfers_debit ON ledger_transfers(debit);
CREATE INDEX ledger_transfers_credit ON ledger_transfers(credit);
CREATE TABLE idempotency (
    user_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
-- Declared links between a reviewer and an enterprise (kinship, employment, shareholding):
-- such a reviewer must recuse. Name matches against legal representative and shareholders are
-- checked as well.
CREATE TABLE reviewer_links (
    user_id TEXT NOT NULL REFERENCES users(id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    relation TEXT NOT NULL,
    PRIMARY KEY (user_id, enterprise_id)
);
-- Metered compute usage: one row per accepted record; (supplier_id, record_id) makes a resend a
-- duplicate, whichever process or batch it arrives in.
CREATE TABLE usage_records (
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
);
CREATE INDEX usage_records_voucher ON usage_records(voucher_id);
CREATE INDEX usage_records_product_day ON usage_records(product_id, ended_at);
