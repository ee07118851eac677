-- Bounds the store holds under concurrency (attack finding 3, 2026-11-26).
--
-- Comments: each row keeps its paragraph and its characters (its text and every earlier text in its
-- history, in UTF-16 code units as JavaScript counts them), so that a write counts its paragraph's
-- comments through an index, under an advisory lock on the paragraph (pg-store putComment), and
-- writers racing in any process never take a paragraph past GLOSA_MAX_COMMENTS or
-- GLOSA_MAX_THREAD_CHARS.
ALTER TABLE comments ADD COLUMN pid text, ADD COLUMN chars integer;
UPDATE comments c SET pid = c.data->>'pid', chars = (
  SELECT coalesce(sum(char_length(t) + char_length(regexp_replace(t, '[\u0001-\uffff]', '', 'g'))), 0)
  FROM (SELECT c.data->>'text' AS t
        UNION ALL SELECT h->>'text' FROM jsonb_array_elements(c.data->'history') AS h) AS texts);
ALTER TABLE comments ALTER COLUMN pid SET NOT NULL, ALTER COLUMN chars SET NOT NULL;
CREATE INDEX comments_thread ON comments (document, pid);
