-- Migration 3: when background jobs last ran, and the audit log made append-only.

-- One row per scheduled job (retention, ...): the last run, so that a restart neither skips
-- nor repeats a daily job. `result` is a JSON summary (counts, never personal data).
CREATE TABLE IF NOT EXISTS job_runs (
  name TEXT PRIMARY KEY,
  last_run_at TEXT NOT NULL,
  result TEXT
);

-- The audit trail cannot be edited: an UPDATE may only clear ip_address and user_agent (what
-- erasure does to rows whose actor is the erased guest). Deletion is left to the retention
-- job (7 years); no API deletes audit rows.
CREATE TRIGGER IF NOT EXISTS audit_log_append_only BEFORE UPDATE ON audit_log
WHEN NEW.id IS NOT OLD.id OR NEW.actor_type IS NOT OLD.actor_type
  OR NEW.actor_id IS NOT OLD.actor_id OR NEW.action IS NOT OLD.action
  OR NEW.resource_type IS NOT OLD.resource_type OR NEW.resource_id IS NOT OLD.resource_id
  OR NEW.details IS NOT OLD.details OR NEW.created_at IS NOT OLD.created_at
  OR (NEW.ip_address IS NOT OLD.ip_address AND NEW.ip_address IS NOT NULL)
  OR (NEW.user_agent IS NOT OLD.user_agent AND NEW.user_agent IS NOT NULL)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
