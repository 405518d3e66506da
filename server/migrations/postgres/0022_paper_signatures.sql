-- A party's validation of the cadrage recorded by the team from a signature made on paper keeps the signed PDF,
-- a document of the case (method `papier`); a validation by the party's own account is method `compte`.
ALTER TABLE cadrage_validations ADD COLUMN document_id BIGINT REFERENCES documents(id);
