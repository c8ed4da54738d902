-- Failed logins per key (`user:<name>` or `addr:<ip>`), shared by every server on the database:
-- the count in the current window and until when the next attempt must wait.
CREATE TABLE login_failures (
    throttle_key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure_at TEXT NOT NULL,
    locked_until TEXT
);
