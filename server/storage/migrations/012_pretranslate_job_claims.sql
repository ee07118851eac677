-- Pre-translation jobs (issue 16): one running job per document and language across every process,
-- decided by the database (two processes starting at once: one 202, one 409), and a heartbeat so that
-- a job whose process died is seen as failed rather than running for ever.
-- Rows left running by an earlier version: all but the newest per document and language are failed.
UPDATE pretranslate_jobs j SET state = 'failed',
  body = j.body || jsonb_build_object('state', 'failed', 'error', 'the process running it stopped')
WHERE j.state = 'running' AND EXISTS (
  SELECT 1 FROM pretranslate_jobs n
  WHERE n.document = j.document AND n.lang = j.lang AND n.state = 'running' AND n.updated_at > j.updated_at
);
CREATE UNIQUE INDEX pretranslate_jobs_one_running ON pretranslate_jobs (document, lang) WHERE state = 'running';
