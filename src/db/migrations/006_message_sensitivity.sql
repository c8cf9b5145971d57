-- Migration 6: messages that carry what only some staff may read.
-- 'financial': an answer with the guest's balance or charges (a verified guest asked); staff
-- without guest.view_financial see the message, not its amounts (api.md, Redaction).
ALTER TABLE messages ADD COLUMN sensitivity TEXT
  CHECK (sensitivity IS NULL OR sensitivity IN ('financial'));
