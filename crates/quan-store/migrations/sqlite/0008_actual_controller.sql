-- The actual controller (实际控制人) of an enterprise or supplier, for the affiliation rule.
ALTER TABLE enterprises ADD COLUMN actual_controller TEXT NOT NULL DEFAULT '';
ALTER TABLE suppliers ADD COLUMN actual_controller TEXT NOT NULL DEFAULT '';
