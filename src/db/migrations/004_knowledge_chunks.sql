-- Migration 4: knowledge entries split into chunks, the unit of vector search
-- (seed-notes.md, Embedding dimension strategy: after chunking, the vec0 ids are chunk ids and
-- ranks are fused per entry). Chunks are derived data: rebuilt from knowledge_base whenever an
-- entry changes, so they go with their entry.
CREATE TABLE IF NOT EXISTS knowledge_chunks (
  id TEXT PRIMARY KEY,
  knowledge_id TEXT NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  content TEXT NOT NULL,
  UNIQUE (knowledge_id, ordinal)
);
