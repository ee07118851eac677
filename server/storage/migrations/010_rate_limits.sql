-- Request and sign-in counters shared by every Glosa process on the database: a fixed window per
-- key (a limiter's prefix and the user or address it counts), counted by one atomic upsert.
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  reset_at timestamptz NOT NULL
);
-- Expired windows are swept by reset_at.
CREATE INDEX rate_limits_reset_at ON rate_limits (reset_at);
