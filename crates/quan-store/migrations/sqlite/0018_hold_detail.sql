-- A held redemption's reason as data (the rule's code and figures, JSON of quan_domain::HoldReason)
-- beside the English sentence in hold_reason, and the administrator's release note in its own
-- column (it used to be appended to hold_reason). Rows held before this migration keep only the
-- sentence; readers fall back to it.
ALTER TABLE redemptions ADD COLUMN hold_detail TEXT;
ALTER TABLE redemptions ADD COLUMN release_note TEXT;
