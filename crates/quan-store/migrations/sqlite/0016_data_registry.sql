-- Data resource registration (three rights, certificate) and the data authorization hub.
CREATE TABLE data_registrations (
    id TEXT PRIMARY KEY,
    -- Issued when registered (SD-DR-<year>-<n>); a cancellation gets one too.
    code TEXT UNIQUE,
    kind TEXT NOT NULL,
    original_id TEXT REFERENCES data_registrations(id),
    reason TEXT,
    status TEXT NOT NULL,
    -- The applicant, who must hold the resource-holding right (public_body: an administrator applied).
    applicant_kind TEXT NOT NULL,
    applicant_id TEXT,
    content TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    operation_kind TEXT NOT NULL,
    operation_id TEXT,
    notice_ends TEXT,
    valid_from TEXT,
    valid_until TEXT,
    registered_on TEXT,
    successor_id TEXT,
    certificate_digest TEXT,
    last_reason TEXT,
    applied_by TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX data_registrations_status ON data_registrations(status);
CREATE INDEX data_registrations_applicant ON data_registrations(applicant_kind, applicant_id);
CREATE INDEX data_registrations_original ON data_registrations(original_id);
CREATE TABLE data_registration_events (
    id TEXT PRIMARY KEY,
    registration_id TEXT NOT NULL REFERENCES data_registrations(id),
    step TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX data_registration_events_reg ON data_registration_events(registration_id, at);
CREATE TABLE data_registration_objections (
    id TEXT PRIMARY KEY,
    registration_id TEXT NOT NULL REFERENCES data_registrations(id),
    reason TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    status TEXT NOT NULL,
    resolution TEXT,
    resolved_by TEXT,
    resolved_at TEXT
);
CREATE INDEX data_registration_objections_reg ON data_registration_objections(registration_id);
-- One row per year; the UPDATE … RETURNING takes the row lock that keeps codes sequential.
CREATE TABLE data_registration_seq (year BIGINT PRIMARY KEY, n BIGINT NOT NULL);
-- The registration a corpus product's data is listed under.
ALTER TABLE products ADD COLUMN data_registration_code TEXT;
CREATE TABLE data_authorizations (
    id TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    data_class TEXT NOT NULL,
    parent_id TEXT REFERENCES data_authorizations(id),
    name TEXT NOT NULL,
    authority TEXT,
    operator_id TEXT NOT NULL REFERENCES enterprises(id),
    purpose TEXT NOT NULL,
    fields TEXT NOT NULL,
    resources TEXT NOT NULL,
    recipients TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    revoked_at TEXT,
    revoke_reason TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX data_authorizations_parent ON data_authorizations(parent_id);
CREATE INDEX data_authorizations_operator ON data_authorizations(operator_id);
CREATE TABLE data_consents (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL REFERENCES data_authorizations(id),
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    -- 1 while it is the subject's consent for the scenario (one scenario, one authorization).
    live BIGINT NOT NULL DEFAULT 1,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX data_consents_live ON data_consents(scenario_id, subject_kind, subject_id) WHERE live = 1;
CREATE INDEX data_consents_subject ON data_consents(subject_kind, subject_id);
-- Every check that said yes: the uses of the data.
CREATE TABLE data_uses (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    operator_id TEXT NOT NULL,
    consent_id TEXT,
    subject_id TEXT,
    resource TEXT,
    fields TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX data_uses_consent ON data_uses(consent_id);
CREATE INDEX data_uses_scenario ON data_uses(scenario_id, at);
CREATE TABLE data_disclosures (
    operator_id TEXT NOT NULL REFERENCES enterprises(id),
    year BIGINT NOT NULL,
    products TEXT NOT NULL,
    fees TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (operator_id, year)
);
