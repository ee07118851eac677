-- An append that also checks, in the same statement, what the caller decided it on: the API token
-- that asked for it (still there, its user the one named, enabled, of a role allowed to write, not
-- reset since the token was made) and the document's version. A save is then one round trip, and
-- a process may decide it on the token's user and the document as it last read them without
-- trusting either: a revoked token, a disabled user, a password reset, a role change or another
-- process's change to the document refuses the append (GL401, GL412) and the caller reads afresh.
-- The checks come before the append's own, so a refused caller never learns of a conflict.

CREATE FUNCTION glosa_guarded_append(
  p_token_hash text,
  p_username text,
  p_roles text[],
  p_document_version bigint,
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
BEGIN
  IF p_token_hash IS NOT NULL THEN
    PERFORM 1 FROM tokens t JOIN users u ON u.username = t.username
      WHERE t.hash = p_token_hash
        AND u.username = p_username
        AND NOT coalesce((u.data->>'disabled')::boolean, false)
        AND u.data->>'role' = ANY(p_roles)
        AND (u.data->>'sessionsValidAfter' IS NULL
             OR (t.data->>'createdAt') COLLATE "C" >= (u.data->>'sessionsValidAfter') COLLATE "C");
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GL401', MESSAGE = 'credential refused';
    END IF;
  END IF;
  IF p_document_version IS NOT NULL THEN
    PERFORM 1 FROM documents WHERE id = p_document AND version = p_document_version;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GL412', MESSAGE = 'document changed';
    END IF;
  END IF;
  RETURN glosa_append_events(p_document, p_lang, p_pids, p_revisions, p_types, p_events,
    p_assumed_pids, p_assumed, p_moved_pids, p_moved_from, p_moved_to, p_audit);
END;
$$;
