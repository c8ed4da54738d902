-- Milestone payments with an acceptance check (issue 10): a program may pay at most its first
-- milestone when the voucher is issued, holding the rest (pending `hold:` reservations) until the
-- acceptance check; one check per voucher, with its panel, date, rating and report reference.
ALTER TABLE programs ADD COLUMN first_milestone_fen BIGINT;
CREATE TABLE acceptance_checks (
    voucher_id TEXT PRIMARY KEY REFERENCES vouchers(id),
    rating TEXT NOT NULL CHECK (rating IN ('excellent','pass','fail')),
    panel TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    report_ref TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
