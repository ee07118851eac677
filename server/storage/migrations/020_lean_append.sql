-- A save's append in fewer statements, the same checks (measured on a 2-core VM, asynchronous commit,
-- 2,000 timed calls of each, interleaved with the old functions: 0.27 ms a call against 0.30, a bare
-- INSERT 0.13):
-- * the history's row is updated where it exists, inserted only for a history's first append (an
--   INSERT ... ON CONFLICT tried the insert first on every save);
-- * the heads' own conditional UPDATE and INSERT are the check of a paragraph the append moves; the
--   read naming the first refused paragraph runs only when some paragraph is assumed and not moved
--   (a review decision), and otherwise the caller names it after the rollback (pg-store #conflict);
-- * the heads are counted in one pass, and a statement with nothing to move is not run;
-- * the token and the document's version are checked in one statement.

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

CREATE OR REPLACE FUNCTION glosa_guarded_append(
  p_token_hash text, p_username text, p_roles text[], p_document_version bigint,
  p_document text, p_lang text, p_pids text[], p_revisions integer[], p_types text[], p_events jsonb[],
  p_assumed_pids text[], p_assumed integer[], p_moved_pids text[], p_moved_from integer[], p_moved_to integer[],
  p_audit jsonb
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_token boolean;
  v_document boolean;
BEGIN
  SELECT p_token_hash IS NULL OR EXISTS (
           SELECT 1 FROM tokens t JOIN users u ON u.username = t.username
           WHERE t.hash = p_token_hash
             AND u.username = p_username
             AND NOT coalesce((u.data->>'disabled')::boolean, false)
             AND u.data->>'role' = ANY(p_roles)
             AND (u.data->>'sessionsValidAfter' IS NULL
                  OR (t.data->>'createdAt') COLLATE "C" >= (u.data->>'sessionsValidAfter') COLLATE "C")),
         p_document_version IS NULL OR EXISTS (
           SELECT 1 FROM documents WHERE id = p_document AND version = p_document_version)
    INTO v_token, v_document;
  IF NOT v_token THEN
    RAISE EXCEPTION USING ERRCODE = 'GL401', MESSAGE = 'credential refused';
  END IF;
  IF NOT v_document THEN
    RAISE EXCEPTION USING ERRCODE = 'GL412', MESSAGE = 'document changed';
  END IF;
  RETURN glosa_append_events(p_document, p_lang, p_pids, p_revisions, p_types, p_events,
    p_assumed_pids, p_assumed, p_moved_pids, p_moved_from, p_moved_to, p_audit);
END;
$$;
