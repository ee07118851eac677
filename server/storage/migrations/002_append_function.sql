-- An append to a translation history as one function call: one round trip and one implicit
-- transaction instead of six statements. It takes the history's row lock (ordering appends to
-- one history and moving its version), checks what the append assumes of each paragraph's latest
-- revision, moves the heads only where they still are the expected ones, and writes the events
-- and the audit entry. A refusal raises SQLSTATE GL409 with the paragraph in DETAIL, and the
-- whole call is rolled back.

CREATE FUNCTION glosa_append_events(
  p_document text,
  p_lang text,
  p_pids text[],
  p_revisions integer[],
  p_types text[],
  p_events jsonb[],
  p_assumed_pids text[],
  p_assumed integer[],
  p_moved_pids text[],
  p_moved_from integer[],
  p_moved_to integer[],
  p_audit jsonb
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_version bigint;
  v_pid text;
  v_expected integer;
  v_latest integer;
  v_wanted integer;
  v_count integer;
BEGIN
  INSERT INTO histories (document, lang, version) VALUES (p_document, p_lang, 1)
    ON CONFLICT (document, lang) DO UPDATE SET version = histories.version + 1
    RETURNING version INTO v_version;

  SELECT a.pid, a.expected, coalesce(h.revision, 0) INTO v_pid, v_expected, v_latest
    FROM unnest(p_assumed_pids, p_assumed) WITH ORDINALITY AS a(pid, expected, n)
    LEFT JOIN paragraph_heads h ON h.document = p_document AND h.lang = p_lang AND h.pid = a.pid
    WHERE coalesce(h.revision, 0) <> a.expected
    ORDER BY a.n LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = 'revision conflict',
      DETAIL = json_build_object('pid', v_pid, 'expected', v_expected, 'latest', v_latest)::text;
  END IF;

  -- The heads move only where they are still the expected revision: the database's own check.
  SELECT count(*) FILTER (WHERE f > 0) INTO v_wanted FROM unnest(p_moved_from) AS m(f);
  UPDATE paragraph_heads h SET revision = m.t
    FROM unnest(p_moved_pids, p_moved_from, p_moved_to) AS m(pid, f, t)
    WHERE m.f > 0 AND h.document = p_document AND h.lang = p_lang AND h.pid = m.pid AND h.revision = m.f;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count <> v_wanted THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = 'revision conflict', DETAIL = '{}';
  END IF;
  SELECT count(*) FILTER (WHERE f = 0) INTO v_wanted FROM unnest(p_moved_from) AS m(f);
  INSERT INTO paragraph_heads (document, lang, pid, revision)
    SELECT p_document, p_lang, m.pid, m.t FROM unnest(p_moved_pids, p_moved_from, p_moved_to) AS m(pid, f, t)
    WHERE m.f = 0
    ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF v_count <> v_wanted THEN
    RAISE EXCEPTION USING ERRCODE = 'GL409', MESSAGE = 'revision conflict', DETAIL = '{}';
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
