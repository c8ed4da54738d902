-- Human-readable document numbers (SD-AP-2026-000123: region, kind, year, sequence), shown first in
-- the console and searchable, for applications (AP), vouchers (VC), redemptions (RD), supplier
-- settlements (ST) and reimbursement runs (RB). New rows take the next number of (kind, year) from
-- document_numbers, the last lock their transaction takes; existing rows are numbered here in
-- the order they were made, per year.
CREATE TABLE document_numbers (kind TEXT NOT NULL, year BIGINT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (kind, year));

ALTER TABLE applications ADD COLUMN number TEXT;
CREATE TEMP TABLE numbered_applications (id TEXT PRIMARY KEY, year BIGINT NOT NULL, n BIGINT NOT NULL);
INSERT INTO numbered_applications (id, year, n)
    SELECT id, CAST(substr(created_at, 1, 4) AS INTEGER),
           ROW_NUMBER() OVER (PARTITION BY substr(created_at, 1, 4) ORDER BY created_at, id) FROM applications;
UPDATE applications SET number = (SELECT 'SD-AP-' || x.year || '-' || substr('000000' || x.n, -6, 6)
                          FROM numbered_applications x WHERE x.id = applications.id);
INSERT INTO document_numbers (kind, year, n) SELECT 'AP', year, MAX(n) FROM numbered_applications GROUP BY year;
DROP TABLE numbered_applications;
CREATE UNIQUE INDEX applications_number ON applications (number);

ALTER TABLE vouchers ADD COLUMN number TEXT;
CREATE TEMP TABLE numbered_vouchers (id TEXT PRIMARY KEY, year BIGINT NOT NULL, n BIGINT NOT NULL);
INSERT INTO numbered_vouchers (id, year, n)
    SELECT id, CAST(substr(issued_at, 1, 4) AS INTEGER),
           ROW_NUMBER() OVER (PARTITION BY substr(issued_at, 1, 4) ORDER BY issued_at, id) FROM vouchers;
UPDATE vouchers SET number = (SELECT 'SD-VC-' || x.year || '-' || substr('000000' || x.n, -6, 6)
                          FROM numbered_vouchers x WHERE x.id = vouchers.id);
INSERT INTO document_numbers (kind, year, n) SELECT 'VC', year, MAX(n) FROM numbered_vouchers GROUP BY year;
DROP TABLE numbered_vouchers;
CREATE UNIQUE INDEX vouchers_number ON vouchers (number);

ALTER TABLE redemptions ADD COLUMN number TEXT;
CREATE TEMP TABLE numbered_redemptions (id TEXT PRIMARY KEY, year BIGINT NOT NULL, n BIGINT NOT NULL);
INSERT INTO numbered_redemptions (id, year, n)
    SELECT id, CAST(substr(created_at, 1, 4) AS INTEGER),
           ROW_NUMBER() OVER (PARTITION BY substr(created_at, 1, 4) ORDER BY created_at, id) FROM redemptions;
UPDATE redemptions SET number = (SELECT 'SD-RD-' || x.year || '-' || substr('000000' || x.n, -6, 6)
                          FROM numbered_redemptions x WHERE x.id = redemptions.id);
INSERT INTO document_numbers (kind, year, n) SELECT 'RD', year, MAX(n) FROM numbered_redemptions GROUP BY year;
DROP TABLE numbered_redemptions;
CREATE UNIQUE INDEX redemptions_number ON redemptions (number);

ALTER TABLE settlements ADD COLUMN number TEXT;
CREATE TEMP TABLE numbered_settlements (id TEXT PRIMARY KEY, year BIGINT NOT NULL, n BIGINT NOT NULL);
INSERT INTO numbered_settlements (id, year, n)
    SELECT id, CAST(substr(created_at, 1, 4) AS INTEGER),
           ROW_NUMBER() OVER (PARTITION BY substr(created_at, 1, 4) ORDER BY created_at, id) FROM settlements;
UPDATE settlements SET number = (SELECT 'SD-ST-' || x.year || '-' || substr('000000' || x.n, -6, 6)
                          FROM numbered_settlements x WHERE x.id = settlements.id);
INSERT INTO document_numbers (kind, year, n) SELECT 'ST', year, MAX(n) FROM numbered_settlements GROUP BY year;
DROP TABLE numbered_settlements;
CREATE UNIQUE INDEX settlements_number ON settlements (number);

ALTER TABLE reimbursements ADD COLUMN number TEXT;
CREATE TEMP TABLE numbered_reimbursements (id TEXT PRIMARY KEY, year BIGINT NOT NULL, n BIGINT NOT NULL);
INSERT INTO numbered_reimbursements (id, year, n)
    SELECT id, CAST(substr(created_at, 1, 4) AS INTEGER),
           ROW_NUMBER() OVER (PARTITION BY substr(created_at, 1, 4) ORDER BY created_at, id) FROM reimbursements;
UPDATE reimbursements SET number = (SELECT 'SD-RB-' || x.year || '-' || substr('000000' || x.n, -6, 6)
                          FROM numbered_reimbursements x WHERE x.id = reimbursements.id);
INSERT INTO document_numbers (kind, year, n) SELECT 'RB', year, MAX(n) FROM numbered_reimbursements GROUP BY year;
DROP TABLE numbered_reimbursements;
CREATE UNIQUE INDEX reimbursements_number ON reimbursements (number);
