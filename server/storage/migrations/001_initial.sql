-- The first schema of the PostgreSQL store. Records are kept as jsonb, as the file store keeps
-- them as JSON; the columns beside them are what queries select, order and check on.

CREATE TABLE meta (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  data jsonb NOT NULL
);

CREATE TABLE users (
  username text PRIMARY KEY,
  position bigserial NOT NULL,
  data jsonb NOT NULL
);

CREATE TABLE tokens (
  id text PRIMARY KEY,
  position bigserial NOT NULL,
  username text NOT NULL,
  hash text NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX tokens_hash ON tokens (hash);
CREATE INDEX tokens_username ON tokens (username);

CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  entry jsonb NOT NULL
);

CREATE TABLE terms (
  id text PRIMARY KEY,
  position bigserial NOT NULL,
  data jsonb NOT NULL
);

CREATE TABLE documents (
  id text PRIMARY KEY,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_created_at ON documents (created_at, id);

-- One row per document x language that has a history: its version moves with every append, and
-- the row's lock orders the appends to one history.
CREATE TABLE histories (
  document text NOT NULL,
  lang text NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (document, lang)
);

CREATE TABLE translation_events (
  seq bigserial PRIMARY KEY,
  document text NOT NULL,
  lang text NOT NULL,
  pid text NOT NULL,
  revision integer NOT NULL,
  type text NOT NULL CHECK (type IN ('revision', 'review', 'waiver')),
  event jsonb NOT NULL
);
CREATE INDEX translation_events_history ON translation_events (document, lang, seq);
-- A second writer of revision N of a paragraph is refused by the database itself.
CREATE UNIQUE INDEX translation_events_one_revision
  ON translation_events (document, lang, pid, revision) WHERE type = 'revision';

-- Each paragraph's latest revision, changed only where it still is the one an append expects.
CREATE TABLE paragraph_heads (
  document text NOT NULL,
  lang text NOT NULL,
  pid text NOT NULL,
  revision integer NOT NULL,
  PRIMARY KEY (document, lang, pid)
);

-- Counters that caches in every process compare against (the glossary's, for now).
CREATE TABLE counters (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
INSERT INTO counters (name, value) VALUES ('glossary', 0);

CREATE TABLE sessions (
  sid text PRIMARY KEY,
  data jsonb NOT NULL,
  expires bigint NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires);

CREATE TABLE secrets (
  name text PRIMARY KEY,
  value text NOT NULL
);
