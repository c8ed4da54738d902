-- A yearly cap shared by all enterprises with the same actual controller (Liaocheng's rule),
-- per program: the use per (program, controller, year) is one row, locked first by a claim, and
-- a redemption records the group it counted against so a clawback releases the same group even
-- after the file's controller changed.
ALTER TABLE programs ADD COLUMN group_year_cap_fen BIGINT;
CREATE TABLE controller_group_use (
    program_id TEXT NOT NULL,
    controller TEXT NOT NULL,
    year BIGINT NOT NULL,
    used_fen BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, controller, year)
);
ALTER TABLE redemptions ADD COLUMN controller_group TEXT;
