-- Quality checks: each language's settings (one JSON object) and the words an editor accepted.
CREATE TABLE quality_settings (
  lang text PRIMARY KEY,
  settings jsonb NOT NULL
);
CREATE TABLE accepted_words (
  lang text NOT NULL,
  word text NOT NULL,
  PRIMARY KEY (lang, word)
);
INSERT INTO counters (name, value) VALUES ('quality', 0);
