-- The glossary's duplicate rule kept by the database, so that two writers in any processes cannot
-- both add the same term (glossary/term.ts duplicateKeys: isSameTerm as two equalities). Each column
-- holds a digest of one key as the application computes it (folding needs Unicode word rules SQL
-- does not have, and a folded 500-character source can outgrow an index entry): `exact_key` for
-- every term, `folded_key` for case-insensitive terms only (NULL for a case-sensitive one).
-- Terms stored before this migration have no keys yet: PgStore fills them at start-up, under the
-- migration lock, and leaves them NULL only on a term that duplicates one stored before it (NULLs
-- do not collide), which stays readable and is checked again when edited.
ALTER TABLE terms ADD COLUMN exact_key text, ADD COLUMN folded_key text;
CREATE UNIQUE INDEX terms_exact_key ON terms (exact_key);
CREATE UNIQUE INDEX terms_folded_key ON terms (folded_key);
