-- A version per document, moved by every write of it, so that each process can keep documents it
-- has read and fetch one again only when another write changed it.
ALTER TABLE documents ADD COLUMN version bigint NOT NULL DEFAULT 1;
