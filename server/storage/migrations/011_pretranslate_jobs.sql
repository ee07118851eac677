-- Pre-translation jobs (issue 16): the running process writes progress here between batches and
-- reads the cancel flag, so that any process on the database can show or cancel the job.
CREATE TABLE pretranslate_jobs (
  id text PRIMARY KEY,
  document text NOT NULL,
  lang text NOT NULL,
  state text NOT NULL,
  done integer NOT NULL,
  total integer NOT NULL,
  cancel boolean NOT NULL DEFAULT false,
  body jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pretranslate_jobs_updated_at ON pretranslate_jobs (updated_at);
