-- Live metering for the public big screen: records and GPU-seconds accepted per minute (the
-- minute the writer committed them, UTC, 'YYYY-MM-DDTHH:MM') and hub city. The metering writer
-- adds a group's sums in the same transaction as its records (one row per city per group), and
-- the scheduler drops minutes older than two days, so the table stays a few thousand rows.
CREATE TABLE usage_minutes (
    minute TEXT NOT NULL,
    city_code TEXT NOT NULL,
    records BIGINT NOT NULL,
    gpu_seconds BIGINT NOT NULL,
    PRIMARY KEY (minute, city_code)
);
