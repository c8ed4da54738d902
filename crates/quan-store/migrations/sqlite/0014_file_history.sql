-- The registered file as it stood before each change (issue 11). Integrity rules read every
-- version in force since the transaction's date, so a change approved later does not undo an
-- affiliation that held on the day of the invoice or the metered usage.
CREATE TABLE enterprise_file_history (
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    seq BIGINT NOT NULL,
    superseded_on TEXT NOT NULL,
    legal_rep TEXT NOT NULL,
    shareholders TEXT NOT NULL,
    actual_controller TEXT NOT NULL,
    industry TEXT NOT NULL,
    size_class TEXT NOT NULL,
    city_code TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, seq)
);
CREATE INDEX enterprise_file_history_on ON enterprise_file_history (enterprise_id, superseded_on);
