-- Pages of documents ordered as the file store orders them: by the document's own createdAt, then
-- id, compared as plain strings (COLLATE "C"), so that a page is one range scan of this index.
-- (documents_created_at orders by the row's insertion time, which a copied store does not keep.)
CREATE INDEX documents_page ON documents (((data->>'createdAt') COLLATE "C"), (id COLLATE "C"));
