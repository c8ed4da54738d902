-- Multi-level review (issue 10): a program's review chain (JSON list of levels, each with a
-- name and a scope: province or city); an application records how many levels it passed and
-- each level's decision; a reviewer may belong to a city (a city reviewer decides city levels
-- for enterprises of that city and sees only their applications).
ALTER TABLE programs ADD COLUMN review_levels TEXT NOT NULL DEFAULT '[]';
ALTER TABLE applications ADD COLUMN review_level BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN city_code TEXT;
CREATE TABLE application_reviews (
    application_id TEXT NOT NULL REFERENCES applications(id),
    level BIGINT NOT NULL,
    level_name TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('approve','reject')),
    amount_fen BIGINT,
    reason TEXT,
    reviewer_id TEXT NOT NULL REFERENCES users(id),
    reviewer_name TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (application_id, level)
);
