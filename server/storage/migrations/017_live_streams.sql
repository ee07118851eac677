-- Open live streams (issue 17), one row each, so that the per-user bound holds across every Glosa
-- process on the database. The process holding a stream renews its row at every heartbeat; a
-- process that crashed stops renewing, and its rows stop counting once they expire.
CREATE TABLE live_streams (
  id text PRIMARY KEY,
  owner text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX live_streams_owner ON live_streams (owner, expires_at);
