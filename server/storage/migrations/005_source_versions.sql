-- Every kept version of a document's source (source updates): history pages compare any two, and
-- a removed paragraph's source stays readable. The document row holds the current version in its
-- data ("version"), distinct from documents.version (003), which counts writes for caches.
CREATE TABLE source_versions (
  document text NOT NULL,
  version integer NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (document, version)
);
