-- Bounds the store holds under concurrency (attack findings 3 and 5, 2026-11-26).
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

-- Reviews: an approval or rejection repeating the paragraph's latest review is refused by the
-- append (GL208), so that two approvals racing write one event, counted once in statistics. The
-- paragraph's latest review is read through this index.
CREATE INDEX translation_events_reviews ON translation_events (document, lang, pid, seq) WHERE type = 'review';

CREATE OR REPLACE FUNCTION glosa_append_events(
  p_document text, p_lang text, p_pids text[], p_revisions integer[], p_types text[], p_events jsonb[],
  p_assumed_pids text[], p_assumed integer[], p_moved_pids text[], p_moved_from integer[], p_moved_to integer[],
  p_audit jsonb
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_version bigint;
  v_pid text;
  v_expected integer;
  v_latest integer;
  v_update integer;
  v_insert integer;
  v_count integer;
  v_revision integer;
  v_action text;
BEGIN
  UPDATE histories SET version = version + 1 WHERE document = p_document AND lang = p_lang
    RETURNING version INTO v_version;
  IF NOT FOUND THEN
    INSERT INTO histories (document, lang, version) VALUES (p_document, p_lang, 1)
      ON CONFLICT (document, lang) DO UPDATE SET version = histories.version + 1
      RETURNING version INTO v_version;
  END IF;

  IF cardinality(p_assumed_pids) <> coalesce(cardinality(p_moved_pids), 0) THEN
    SELECT a.pid, a.expected, coalesce(h.revision, 0) INTO v_pid, v_expected, v_latest
      FROM unnest(p_assumed_pids, p_assumed) WITH ORDINALITY AS a(pid, expected, n)
      LEFT JOIN paragraph_heads h ON h.document = p_document AND h.lang = p_lang AND h.pid = a.pid
      WHERE coalesce(h.revision, 0) <> a.expected
      ORDER BY a.n LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = 'revision conflict',
        DETAIL = json_build_object('pid', v_pid, 'expected', v_expected, 'latest', v_latest)::text;
    END IF;
  END IF;

  -- A review repeating the paragraph's latest review (the same revision and action, an approval
  -- against no later source version: repeatsReview in translations/translation.ts). Read after the
  -- history's row lock above, so that of two racing, the second sees the first.
  IF 'review' = ANY(p_types) THEN
    SELECT e.pid, e.revision, e.event->>'action' INTO v_pid, v_revision, v_action
      FROM unnest(p_pids, p_revisions, p_types, p_events) WITH ORDINALITY AS e(pid, revision, type, event, n)
      CROSS JOIN LATERAL (
        SELECT r.revision, r.event FROM translation_events r
        WHERE r.document = p_document AND r.lang = p_lang AND r.pid = e.pid AND r.type = 'review'
        ORDER BY r.seq DESC LIMIT 1) AS last
      WHERE e.type = 'review'
        AND last.revision = e.revision
        AND last.event->>'action' = e.event->>'action'
        AND (e.event->>'action' = 'reject'
             OR coalesce((e.event->>'sourceVersion')::int, 1) <= coalesce((last.event->>'sourceVersion')::int, 1))
      ORDER BY e.n LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GL208', MESSAGE = 'repeated review',
        DETAIL = json_build_object('pid', v_pid, 'revision', v_revision, 'action', v_action)::text;
    END IF;
  END IF;

  v_update := 0;
  v_insert := 0;
  FOR i IN 1 .. coalesce(cardinality(p_moved_from), 0) LOOP
    IF p_moved_from[i] > 0 THEN v_update := v_update + 1; ELSE v_insert := v_insert + 1; END IF;
  END LOOP;
  IF v_update > 0 THEN
    UPDATE paragraph_heads h SET revision = m.t
      FROM unnest(p_moved_pids, p_moved_from, p_moved_to) AS m(pid, f, t)
      WHERE m.f > 0 AND h.document = p_document AND h.lang = p_lang AND h.pid = m.pid AND h.revision = m.f;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count <> v_update THEN
      RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = 'revision conflict', DETAIL = '{}';
    END IF;
  END IF;
  IF v_insert > 0 THEN
    INSERT INTO paragraph_heads (document, lang, pid, revision)
      SELECT p_document, p_lang, m.pid, m.t FROM unnest(p_moved_pids, p_moved_from, p_moved_to) AS m(pid, f, t)
      WHERE m.f = 0
      ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count <> v_insert THEN
      RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = 'revision conflict', DETAIL = '{}';
    END IF;
  END IF;

  INSERT INTO translation_events (document, lang, pid, revision, type, event)
    SELECT p_document, p_lang, e.pid, e.revision, e.type, e.event
    FROM unnest(p_pids, p_revisions, p_types, p_events) WITH ORDINALITY AS e(pid, revision, type, event, n)
    ORDER BY e.n;
  IF p_audit IS NOT NULL THEN
    INSERT INTO audit (entry) VALUES (p_audit);
  END IF;
  RETURN v_version;
END;
$$;
