-- A program's own rules beyond rate and caps (quan_domain::policy): pilot-zone bonus, supplier
-- cap, minimum invoice, split-purchase window and threshold. A held redemption says why.
ALTER TABLE programs ADD COLUMN pilot_bonus_bps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programs ADD COLUMN supplier_cap_fen BIGINT;
ALTER TABLE programs ADD COLUMN min_invoice_fen BIGINT;
ALTER TABLE programs ADD COLUMN split_window_days BIGINT;
ALTER TABLE programs ADD COLUMN split_threshold_fen BIGINT;
ALTER TABLE redemptions ADD COLUMN hold_reason TEXT;
