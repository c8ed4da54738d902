-- Annual selection rounds of model products and corpora (issue 10): a round per year, kind and
-- batch (第一批, 第二批 …; the year's list is what its effective batches selected);
-- suppliers enter products with evidence; panel experts (reviewer users) are assigned entries,
-- recuse where related, and score each criterion; the panel closes, the ranking is published for
-- its notice with objections, and the round takes effect: its selected products become the
-- eligible list of that year's programs of the kind.
CREATE TABLE selection_rounds (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('model','corpus')),
    year BIGINT NOT NULL,
    batch BIGINT NOT NULL DEFAULT 1 CHECK (batch > 0),
    cap BIGINT NOT NULL CHECK (cap > 0),
    call_from TEXT NOT NULL,
    call_until TEXT NOT NULL,
    notice_days BIGINT NOT NULL,
    min_records BIGINT NOT NULL,
    registration_required BIGINT NOT NULL,
    pass_mark BIGINT NOT NULL,
    criteria TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open','panel_closed','published','effective')),
    published_on TEXT,
    notice_ends_on TEXT,
    effective_on TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (year, kind, batch)
);
CREATE TABLE selection_experts (
    round_id TEXT NOT NULL REFERENCES selection_rounds(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (round_id, user_id)
);
CREATE TABLE selection_entries (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES selection_rounds(id),
    product_id TEXT NOT NULL REFERENCES products(id),
    supplier_id TEXT NOT NULL REFERENCES suppliers(id),
    evaluation_report TEXT NOT NULL DEFAULT '',
    deployment_evidence TEXT NOT NULL DEFAULT '',
    record_count BIGINT,
    registration_ref TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    excluded BIGINT NOT NULL DEFAULT 0,
    exclusion_reason TEXT,
    rank BIGINT,
    mean_score BIGINT,
    outcome TEXT CHECK (outcome IN ('selected','reserve','below_pass_mark','excluded')),
    UNIQUE (round_id, product_id)
);
CREATE INDEX selection_entries_supplier ON selection_entries(supplier_id);
CREATE TABLE selection_assignments (
    entry_id TEXT NOT NULL REFERENCES selection_entries(id),
    expert_id TEXT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('assigned','recused')),
    recusal_reason TEXT,
    scores TEXT,
    total BIGINT,
    comment TEXT,
    scored_at TEXT,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, expert_id)
);
CREATE INDEX selection_assignments_expert ON selection_assignments(expert_id);
CREATE TABLE selection_objections (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES selection_entries(id),
    filed_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open','upheld','dismissed')),
    resolution_note TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX selection_objections_entry ON selection_objections(entry_id);
