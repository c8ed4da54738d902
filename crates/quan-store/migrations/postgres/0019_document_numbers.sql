-- Human-readable document numbers (SD-AP-2026-000123: region, kind, year, sequence), shown first in
-- the console and searchable, for applications (AP), vouchers (VC), redemptions (RD), supplier
-- settlements (ST) and reimbursement runs (RB). New rows take the next number of (kind, year) from
-- document_numbers, the last lock their transaction takes; existing rows are numbered here in
-- the order they were made, per year.
CREATE TABLE document_numbers (kind TEXT NOT NULL, year BIGINT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (kind, year));

ALTER TABLE applications ADD COLUMN number TEXT;
UPDATE applications SET number = x.number FROM (
    SELECT id, 'SD-AP-' || substr(created_at, 1, 4) || '-' ||
           lpad(CAST(ROW_NUMBER() OVER (PARTITION BY substr(created_at, 1, 4) ORDER BY created_at, id) AS TEXT), 6, '0') AS number
    FROM applications) x WHERE x.id = applications.id;
INSERT INTO document_numbers (kind, year, n)
    SELECT 'AP', CAST(substr(created_at, 1, 4) AS BIGINT), COUNT(*) FROM applications GROUP BY substr(created_at, 1, 4);
CREATE UNIQUE INDEX applications_number ON applications (number);

ALTER TABLE vouchers ADD COLUMN number TEXT;
UPDATE vouchers SET number = x.number FROM (
    SELECT id, 'SD-VC-' || substr(issued_at, 1, 4) || '-' ||
           lpad(CAST(ROW_NUMBER() OVER (PARTITION BY substr(issued_at, 1, 4) ORDER BY issued_at, id) AS TEXT), 6, '0') AS number
    FROM vouchers) x WHERE x.id = vouchers.id;
INSERT INTO document_numbers (kind, year, n)
    SELECT 'VC', CAST(substr(issued_at, 1, 4) AS BIGINT), COUNT(*) FROM vouchers GROUP BY substr(issued_at, 1, 4);
CREATE UNIQUE INDEX vouchers_number ON vouchers (number);

ALTER TABLE redemptions ADD COLUMN number TEXT;
UPDATE redemptions SET number = x.number FROM (
    SELECT id, 'SD-RD-' || substr(created_at, 1, 4) || '-' ||
           lpad(CAST(ROW_NUMBER() OVER (PARTITION BY substr(created_at, 1, 4) ORDER BY created_at, id) AS TEXT), 6, '0') AS number
    FROM redemptions) x WHERE x.id = redemptions.id;
INSERT INTO document_numbers (kind, year, n)
    SELECT 'RD', CAST(substr(created_at, 1, 4) AS BIGINT), COUNT(*) FROM redemptions GROUP BY substr(created_at, 1, 4);
CREATE UNIQUE INDEX redemptions_number ON redemptions (number);

ALTER TABLE settlements ADD COLUMN number TEXT;
UPDATE settlements SET number = x.number FROM (
    SELECT id, 'SD-ST-' || substr(created_at, 1, 4) || '-' ||
           lpad(CAST(ROW_NUMBER() OVER (PARTITION BY substr(created_at, 1, 4) ORDER BY created_at, id) AS TEXT), 6, '0') AS number
    FROM settlements) x WHERE x.id = settlements.id;
INSERT INTO document_numbers (kind, year, n)
    SELECT 'ST', CAST(substr(created_at, 1, 4) AS BIGINT), COUNT(*) FROM settlements GROUP BY substr(created_at, 1, 4);
CREATE UNIQUE INDEX settlements_number ON settlements (number);

ALTER TABLE reimbursements ADD COLUMN number TEXT;
UPDATE reimbursements SET number = x.number FROM (
    SELECT id, 'SD-RB-' || substr(created_at, 1, 4) || '-' ||
           lpad(CAST(ROW_NUMBER() OVER (PARTITION BY substr(created_at, 1, 4) ORDER BY created_at, id) AS TEXT), 6, '0') AS number
    FROM reimbursements) x WHERE x.id = reimbursements.id;
INSERT INTO document_numbers (kind, year, n)
    SELECT 'RB', CAST(substr(created_at, 1, 4) AS BIGINT), COUNT(*) FROM reimbursements GROUP BY substr(created_at, 1, 4);
CREATE UNIQUE INDEX reimbursements_number ON reimbursements (number);
