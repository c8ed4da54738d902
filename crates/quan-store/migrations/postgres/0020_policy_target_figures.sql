-- Figures for the policy's targets (data/policy_targets.csv) that the platform does not hold
-- itself: entered by an administrator with the source document and the day they are true of.
-- Every entry is kept (the history); the latest by as_of (then entry) is the current figure.
CREATE TABLE policy_target_figures (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    as_of TEXT NOT NULL,
    source TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
CREATE INDEX policy_target_figures_target ON policy_target_figures (target_id, as_of);
