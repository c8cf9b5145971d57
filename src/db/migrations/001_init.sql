-- Migration 1: the seed's schema (shared/seed/data-model.md), exactly, with CHECK
-- constraints on the enumerated TEXT columns (seed-notes.md: SQLite cannot add them later).
-- Do not edit: applied migrations are checksummed. Add a new numbered file instead.

CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE IF NOT EXISTS guests (
  id TEXT PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  language TEXT DEFAULT 'en',
  loyalty_tier TEXT,
  vip_status TEXT,
  external_ids TEXT NOT NULL DEFAULT '{}',
  preferences TEXT NOT NULL DEFAULT '[]',
  stay_count INTEGER NOT NULL DEFAULT 0,
  total_revenue REAL NOT NULL DEFAULT 0,
  last_stay_date TEXT,
  notes TEXT,
  tags TEXT DEFAULT '[]',
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE UNIQUE INDEX IF NOT EXISTS idx_guests_email ON guests(email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS idx_guests_phone ON guests(phone) WHERE phone IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_guests_name ON guests(last_name, first_name);

CREATE TABLE IF NOT EXISTS reservations (
  id TEXT PRIMARY KEY,
  guest_id TEXT NOT NULL REFERENCES guests(id),
  confirmation_number TEXT NOT NULL UNIQUE,
  external_id TEXT,
  room_number TEXT,
  room_type TEXT NOT NULL,
  arrival_date TEXT NOT NULL,
  departure_date TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'confirmed'
    CHECK (status IN ('confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show')),
  estimated_arrival TEXT,
  actual_arrival TEXT,
  estimated_departure TEXT,
  actual_departure TEXT,
  rate_code TEXT,
  total_rate REAL,
  balance REAL DEFAULT 0,
  special_requests TEXT DEFAULT '[]',
  notes TEXT DEFAULT '[]',
  synced_at TEXT NOT NULL DEFAULT (datetime('now')),
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_reservations_guest ON reservations(guest_id);
CREATE INDEX IF NOT EXISTS idx_reservations_dates ON reservations(arrival_date, departure_date);
CREATE INDEX IF NOT EXISTS idx_reservations_status ON reservations(status);
CREATE INDEX IF NOT EXISTS idx_reservations_room ON reservations(room_number) WHERE room_number IS NOT NULL;

CREATE TABLE IF NOT EXISTS staff (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  phone TEXT,
  role TEXT NOT NULL
    CHECK (role IN ('admin', 'manager', 'front_desk', 'concierge', 'housekeeping', 'maintenance')),
  department TEXT,
  permissions TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  last_active_at TEXT,
  password_hash TEXT,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_staff_role ON staff(role);
CREATE INDEX IF NOT EXISTS idx_staff_department ON staff(department) WHERE department IS NOT NULL;

CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  guest_id TEXT REFERENCES guests(id),
  reservation_id TEXT REFERENCES reservations(id),
  channel_type TEXT NOT NULL CHECK (channel_type IN ('whatsapp', 'sms', 'email', 'webchat')),
  channel_id TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'active'
    CHECK (state IN ('new', 'active', 'escalated', 'resolved', 'abandoned')),
  assigned_to TEXT REFERENCES staff(id),
  current_intent TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  last_message_at TEXT,
  resolved_at TEXT,
  idle_warned_at TEXT,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_conversations_guest ON conversations(guest_id);
CREATE INDEX IF NOT EXISTS idx_conversations_channel ON conversations(channel_type, channel_id);
CREATE INDEX IF NOT EXISTS idx_conversations_state ON conversations(state);
CREATE INDEX IF NOT EXISTS idx_conversations_assigned ON conversations(assigned_to) WHERE assigned_to IS NOT NULL;

CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  sender_type TEXT NOT NULL CHECK (sender_type IN ('guest', 'ai', 'staff', 'system')),
  sender_id TEXT,
  content TEXT NOT NULL,
  content_type TEXT NOT NULL DEFAULT 'text'
    CHECK (content_type IN ('text', 'image', 'audio', 'video', 'document', 'location', 'interactive')),
  media TEXT,
  intent TEXT,
  confidence REAL,
  entities TEXT,
  channel_message_id TEXT,
  delivery_status TEXT DEFAULT 'sent'
    CHECK (delivery_status IS NULL OR delivery_status IN ('pending', 'sent', 'delivered', 'read', 'failed')),
  delivery_error TEXT,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_messages_conversation ON messages(conversation_id);
CREATE INDEX IF NOT EXISTS idx_messages_created ON messages(conversation_id, created_at);
CREATE INDEX IF NOT EXISTS idx_messages_channel_id ON messages(channel_message_id) WHERE channel_message_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY,
  conversation_id TEXT REFERENCES conversations(id),
  type TEXT NOT NULL
    CHECK (type IN ('housekeeping', 'maintenance', 'concierge', 'room_service', 'other')),
  department TEXT NOT NULL,
  room_number TEXT,
  description TEXT NOT NULL,
  items TEXT,
  priority TEXT NOT NULL DEFAULT 'standard'
    CHECK (priority IN ('urgent', 'high', 'standard', 'low')),
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'assigned', 'in_progress', 'completed', 'cancelled')),
  assigned_to TEXT REFERENCES staff(id),
  external_id TEXT,
  external_system TEXT,
  due_at TEXT,
  started_at TEXT,
  completed_at TEXT,
  notes TEXT,
  completion_notes TEXT,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_tasks_conversation ON tasks(conversation_id);
CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks(status);
CREATE INDEX IF NOT EXISTS idx_tasks_department ON tasks(department, status);
CREATE INDEX IF NOT EXISTS idx_tasks_assigned ON tasks(assigned_to) WHERE assigned_to IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_tasks_room ON tasks(room_number) WHERE room_number IS NOT NULL;

CREATE TABLE IF NOT EXISTS knowledge_base (
  id TEXT PRIMARY KEY,
  category TEXT NOT NULL
    CHECK (category IN ('faq', 'policy', 'amenity', 'menu', 'local', 'service')),
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  keywords TEXT DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'draft', 'archived')),
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_knowledge_category ON knowledge_base(category);
CREATE INDEX IF NOT EXISTS idx_knowledge_status ON knowledge_base(status);

CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_fts USING fts5(
  title,
  content,
  content='knowledge_base',
  content_rowid='rowid'
);

-- Keep the external-content FTS index in step with knowledge_base.
CREATE TRIGGER IF NOT EXISTS knowledge_fts_ai AFTER INSERT ON knowledge_base BEGIN
  INSERT INTO knowledge_fts(rowid, title, content) VALUES (new.rowid, new.title, new.content);
END;
CREATE TRIGGER IF NOT EXISTS knowledge_fts_ad AFTER DELETE ON knowledge_base BEGIN
  INSERT INTO knowledge_fts(knowledge_fts, rowid, title, content)
    VALUES ('delete', old.rowid, old.title, old.content);
END;
CREATE TRIGGER IF NOT EXISTS knowledge_fts_au AFTER UPDATE OF title, content ON knowledge_base BEGIN
  INSERT INTO knowledge_fts(knowledge_fts, rowid, title, content)
    VALUES ('delete', old.rowid, old.title, old.content);
  INSERT INTO knowledge_fts(rowid, title, content) VALUES (new.rowid, new.title, new.content);
END;

CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_embeddings USING vec0(
  id TEXT PRIMARY KEY,
  embedding FLOAT[1536]
);

INSERT OR IGNORE INTO settings (key, value) VALUES
  ('embeddings.model', 'text-embedding-3-small'),
  ('embeddings.dimensions', '1536');

CREATE TABLE IF NOT EXISTS automation_rules (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  trigger_type TEXT NOT NULL CHECK (trigger_type IN ('time_based', 'event_based', 'condition_based')),
  trigger_config TEXT NOT NULL,
  action_type TEXT NOT NULL CHECK (action_type IN ('send_message', 'create_task', 'notify_staff')),
  action_config TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_automation_enabled ON automation_rules(enabled);
CREATE INDEX IF NOT EXISTS idx_automation_trigger ON automation_rules(trigger_type);

CREATE TABLE IF NOT EXISTS audit_log (
  id TEXT PRIMARY KEY,
  actor_type TEXT NOT NULL CHECK (actor_type IN ('staff', 'system', 'guest')),
  actor_id TEXT,
  action TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT,
  details TEXT,
  ip_address TEXT,
  user_agent TEXT,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS idx_audit_created ON audit_log(created_at);
CREATE INDEX IF NOT EXISTS idx_audit_actor ON audit_log(actor_type, actor_id);
CREATE INDEX IF NOT EXISTS idx_audit_resource ON audit_log(resource_type, resource_id);
CREATE INDEX IF NOT EXISTS idx_audit_action ON audit_log(action);
