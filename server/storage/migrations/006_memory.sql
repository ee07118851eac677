-- Translation memory: units imported from TMX files, by id (derived from languages and texts), in
-- the order first written; the 'memory' counter moves with every import so other processes refresh.
CREATE TABLE memory_units (
  id text PRIMARY KEY,
  position bigserial NOT NULL,
  data jsonb NOT NULL
);
INSERT INTO counters (name, value) VALUES ('memory', 0) ON CONFLICT (name) DO NOTHING;
