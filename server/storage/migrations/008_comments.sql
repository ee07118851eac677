-- Comments and source queries (issue 17): one row per comment, its history inside the record.
CREATE TABLE comments (
  id text PRIMARY KEY,
  document text NOT NULL,
  created_at text NOT NULL,
  mentions text[] NOT NULL DEFAULT '{}',
  open_query boolean NOT NULL DEFAULT false,
  data jsonb NOT NULL
);
CREATE INDEX comments_document ON comments (document, created_at COLLATE "C", id);
CREATE INDEX comments_mentions ON comments USING gin (mentions);
CREATE INDEX comments_open_queries ON comments (created_at) WHERE open_query;
