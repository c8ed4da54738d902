-- The dishonesty list as dated entries (who, why, on whose authority, from/until, lifted), the
-- history of funding top-ups, program closing, supplier/product suspension. The `dishonest`
-- columns of enterprises and suppliers become a display cache of "listed today", refreshed on
-- every list/lift and by the scheduler; money paths read the entries. Same for SQLite.
CREATE TABLE dishonesty_entries (
    id TEXT PRIMARY KEY,
    party_kind TEXT NOT NULL CHECK (party_kind IN ('enterprise','supplier')),
    party_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    listed_from TEXT NOT NULL,
    listed_until TEXT,
    listed_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    lifted_at TEXT,
    lifted_by TEXT,
    lift_reason TEXT
);
CREATE INDEX dishonesty_entries_party ON dishonesty_entries(party_id);
INSERT INTO dishonesty_entries (id, party_kind, party_id, reason, source, listed_from, listed_by, created_at)
    SELECT 'dis_m_' || id, 'enterprise', id, 'flag set before the list existed', 'migration 0005', substr(created_at, 1, 10), 'system', created_at
    FROM enterprises WHERE dishonest = 1;
INSERT INTO dishonesty_entries (id, party_kind, party_id, reason, source, listed_from, listed_by, created_at)
    SELECT 'dis_m_' || id, 'supplier', id, 'flag set before the list existed', 'migration 0005', substr(created_at, 1, 10), 'system', created_at
    FROM suppliers WHERE dishonest = 1;
CREATE TABLE funding_top_ups (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES funding_sources(id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    document TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX funding_top_ups_source ON funding_top_ups(source_id);
ALTER TABLE programs ADD COLUMN closed_at TEXT;
ALTER TABLE programs ADD COLUMN close_reason TEXT;
ALTER TABLE programs ADD COLUMN released_fen BIGINT;
ALTER TABLE suppliers ADD COLUMN suspended BIGINT NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN suspended BIGINT NOT NULL DEFAULT 0;
-- An enterprise's registered file (industry, size, legal representative, shareholders, city)
-- changes only through a request an administrator decides; `changes` is the normalised
-- patch, `diff` the field-by-field before/after shown to the decider.
CREATE TABLE enterprise_change_requests (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    changes TEXT NOT NULL,
    diff TEXT NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
    requested_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT
);
CREATE INDEX enterprise_change_requests_enterprise ON enterprise_change_requests(enterprise_id, status);
-- A settlement first recovers what the supplier owes after clawbacks of paid subsidies.
ALTER TABLE settlements ADD COLUMN receivable_offset_fen BIGINT NOT NULL DEFAULT 0;
