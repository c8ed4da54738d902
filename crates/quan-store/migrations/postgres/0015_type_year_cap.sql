-- A yearly cap per voucher type across programs (issue 11): what one enterprise received in a
-- year from all programs of one voucher type, kept as one row per (enterprise, type, year) that
-- every payment and clawback moves and a claim under a program's `type_year_cap_fen` locks
-- (after the actual-controller group's row, before the program's yearly-cap row).
ALTER TABLE programs ADD COLUMN type_year_cap_fen BIGINT;
CREATE TABLE enterprise_type_year_use (
    enterprise_id TEXT NOT NULL,
    voucher_type TEXT NOT NULL,
    year BIGINT NOT NULL,
    used_fen BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, voucher_type, year)
);
INSERT INTO enterprise_type_year_use (enterprise_id, voucher_type, year, used_fen)
SELECT u.enterprise_id, p.voucher_type, u.year, SUM(u.used_fen)
FROM enterprise_year_use u JOIN programs p ON p.id = u.program_id
GROUP BY u.enterprise_id, p.voucher_type, u.year;
