-- Migration 2: web-chat sessions and the language of knowledge entries.

-- A web-chat session (api.md, Web chat). The token is kept only as its SHA-256.
-- claimed_* hold what the guest typed; guest_id is set only for a guest created from an
-- unclaimed email or after verification (identify), never from a claimed email alone.
CREATE TABLE IF NOT EXISTS webchat_sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  conversation_id TEXT REFERENCES conversations(id),
  guest_id TEXT REFERENCES guests(id),
  reservation_id TEXT REFERENCES reservations(id),
  claimed_name TEXT,
  claimed_email TEXT,
  language TEXT,
  verified INTEGER NOT NULL DEFAULT 0,
  ip_address TEXT,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_webchat_sessions_conversation ON webchat_sessions(conversation_id);

-- The language a knowledge entry is written in (ISO 639-1), so that replies can say so when
-- it differs from the guest's. NULL means the hotel's default language.
ALTER TABLE knowledge_base ADD COLUMN language TEXT;
