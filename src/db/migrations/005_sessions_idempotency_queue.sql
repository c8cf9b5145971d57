-- Migration 5: staff login sessions with rotating refresh tokens, idempotency keys, and the
-- order of the staff inbox kept on each conversation row.

-- A staff login (api.md, Auth). Access tokens carry its id (`sid`); a revoked or expired
-- session makes them fail at once. `expires_at` is the absolute end of the login.
CREATE TABLE IF NOT EXISTS staff_sessions (
  id TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  created_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  revoked_reason TEXT CHECK (revoked_reason IN ('logout', 'reuse', 'staff_inactive', 'admin')),
  ip_address TEXT,
  user_agent TEXT
);
CREATE INDEX IF NOT EXISTS idx_staff_sessions_staff ON staff_sessions(staff_id);

-- Refresh tokens, kept only as SHA-256. Each refresh marks its token used and issues a new
-- one; presenting a used token again is a replay and revokes the whole session.
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES staff_sessions(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX IF NOT EXISTS idx_refresh_tokens_session ON refresh_tokens(session_id);

-- Idempotency-Key (api.md, Conventions): the first answer to a key, per caller, for 24 hours.
-- `request_hash` is the SHA-256 of method, path and body: the same key with another request
-- is a conflict.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS idx_idempotency_created ON idempotency_keys(created_at);

-- awaiting_since: when the guest's oldest unanswered message arrived (NULL when nothing waits;
-- a system notice such as a hand-off acknowledgement answers nothing). queue_key: the inbox's
-- urgency order as one sortable string, "<rank>|<13 digits>": rank 0 escalated and waiting
-- (oldest first), 1 escalated, 2 waiting (oldest first), 3 open, 4 resolved or abandoned (the
-- last three most recent first, as 9999999999999 minus the epoch milliseconds).
ALTER TABLE conversations ADD COLUMN awaiting_since TEXT;
ALTER TABLE conversations ADD COLUMN queue_key TEXT;

UPDATE conversations SET awaiting_since = (
  SELECT m.created_at FROM messages m WHERE m.conversation_id = conversations.id
  ORDER BY m.created_at DESC, m.id DESC LIMIT 1)
WHERE (SELECT m.direction FROM messages m WHERE m.conversation_id = conversations.id
       ORDER BY m.created_at DESC, m.id DESC LIMIT 1) = 'inbound';

UPDATE conversations SET queue_key = CASE
  WHEN state = 'escalated' AND awaiting_since IS NOT NULL THEN
    printf('0|%013d', CAST(round((julianday(awaiting_since) - 2440587.5) * 86400000) AS INTEGER))
  WHEN state = 'escalated' THEN
    printf('1|%013d', 9999999999999 - CAST(round((julianday(coalesce(last_message_at,
      created_at)) - 2440587.5) * 86400000) AS INTEGER))
  WHEN state IN ('new', 'active') AND awaiting_since IS NOT NULL THEN
    printf('2|%013d', CAST(round((julianday(awaiting_since) - 2440587.5) * 86400000) AS INTEGER))
  WHEN state IN ('new', 'active') THEN
    printf('3|%013d', 9999999999999 - CAST(round((julianday(coalesce(last_message_at,
      created_at)) - 2440587.5) * 86400000) AS INTEGER))
  ELSE
    printf('4|%013d', 9999999999999 - CAST(round((julianday(coalesce(last_message_at,
      created_at)) - 2440587.5) * 86400000) AS INTEGER))
END;

CREATE INDEX IF NOT EXISTS idx_conversations_queue ON conversations(queue_key, id);
CREATE INDEX IF NOT EXISTS idx_conversations_recent
  ON conversations(coalesce(last_message_at, created_at), id);
