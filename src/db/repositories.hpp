#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "db/records.hpp"

// Repositories: the only place with SQL for the seed's tables. Each function runs one or a
// few statements on the caller's connection and thread; callers group writes in a
// db::Transaction. Errors: see Stmt::Next.
namespace jack::db {

// settings
Result<std::optional<std::string>> GetSetting(Database& db, std::string_view key);
Result<std::vector<SettingRow>> ListSettings(Database& db);
Status PutSetting(Database& db, std::string_view key, std::string_view value, std::string_view now);

// guests
Status InsertGuest(Database& db, const GuestRow& g);
Status UpdateGuest(Database& db, const GuestRow& g);
Result<std::optional<GuestRow>> FindGuest(Database& db, std::string_view id);
Result<std::optional<GuestRow>> FindGuestByEmail(Database& db, std::string_view email);
Result<std::optional<GuestRow>> FindGuestByPhone(Database& db, std::string_view phone);
// Guests whose external_ids JSON has `key` equal to `value`.
Result<std::optional<GuestRow>> FindGuestByExternalId(Database& db, std::string_view key,
                                                      std::string_view value);
struct GuestFilter {
  OptString email, phone, q;
  int limit = 50;
  OptString after_id;  // cursor: ORDER BY id
  // q matches names only (a caller who may not see contact data must not probe it).
  bool names_only = false;
};
Result<std::vector<GuestRow>> ListGuests(Database& db, const GuestFilter& f);

// reservations
Status InsertReservation(Database& db, const ReservationRow& r);
Status UpdateReservation(Database& db, const ReservationRow& r);
Result<std::optional<ReservationRow>> FindReservation(Database& db, std::string_view id);
Result<std::optional<ReservationRow>> FindReservationByConfirmation(Database& db,
                                                                    std::string_view number);
// Recomputes the guest's stay statistics from their reservations: stay_count and
// total_revenue over stays with status checked_out, last_stay_date their latest departure.
Status RefreshGuestStayStats(Database& db, std::string_view guest_id, std::string_view now);
// The guest's reservation covering `today` (arrival <= today <= departure) with status
// confirmed or checked_in (channels.md, Identity).
Result<std::optional<ReservationRow>> FindCurrentReservation(Database& db,
                                                             std::string_view guest_id,
                                                             std::string_view today);

// staff
Status InsertStaff(Database& db, const StaffRow& s);
Result<std::optional<StaffRow>> FindStaff(Database& db, std::string_view id);
Result<std::optional<StaffRow>> FindStaffByEmail(Database& db, std::string_view email);
Result<int64_t> CountStaff(Database& db);
Status TouchStaff(Database& db, std::string_view id, std::string_view now);

// conversations
// The inbox's urgency order as one sortable key (migration 5): escalated first, then the
// oldest unanswered guest message first, then the most recent.
std::string QueueKey(const ConversationRow& c);
Status InsertConversation(Database& db, const ConversationRow& c);
Status UpdateConversation(Database& db, const ConversationRow& c);
Result<std::optional<ConversationRow>> FindConversation(Database& db, std::string_view id);

// messages
Status InsertMessage(Database& db, const MessageRow& m);
Result<std::optional<MessageRow>> FindMessage(Database& db, std::string_view id);
struct MessagePage {
  std::string conversation_id;
  OptString after_id;   // messages strictly after this one, oldest first
  OptString before_id;  // messages strictly before this one, oldest first
  int limit = 50;
};
// Ordered by (created_at, id); returns up to limit + 1 rows so callers can tell if more exist.
Result<std::vector<MessageRow>> ListMessages(Database& db, const MessagePage& page);
// The last `n` messages of a conversation, oldest first.
Result<std::vector<MessageRow>> RecentMessages(Database& db, std::string_view conversation_id,
                                               int n);

// tasks
Status InsertTask(Database& db, const TaskRow& t);
Status UpdateTask(Database& db, const TaskRow& t);
Result<std::optional<TaskRow>> FindTask(Database& db, std::string_view id);
struct TaskFilter {
  OptString status, department, assigned_to, priority, room_number, conversation_id;
  OptString after_id;
  int limit = 50;
};
Result<std::vector<TaskRow>> ListTasks(Database& db, const TaskFilter& f);
// How many tasks of the guest's conversations (all stays) asked for `item` (a canonical item
// value of tasks.items, e.g. "pillow").
Result<int64_t> CountGuestItemTasks(Database& db, std::string_view guest_id, std::string_view item);

// knowledge
Status InsertKnowledge(Database& db, const KnowledgeRow& k);
Status UpdateKnowledge(Database& db, const KnowledgeRow& k);
Result<std::optional<KnowledgeRow>> FindKnowledge(Database& db, std::string_view id);
struct KnowledgeHit {
  KnowledgeRow row;
  double bm25 = 0;  // FTS5 bm25(): lower (more negative) is better
};
// Active entries matching an FTS5 MATCH expression, best first.
Result<std::vector<KnowledgeHit>> SearchKnowledgeFts(Database& db, std::string_view match,
                                                     int limit);
Result<std::vector<KnowledgeRow>> ListKnowledge(Database& db, const OptString& category,
                                                const OptString& status, int limit,
                                                const OptString& after_id);
Result<int64_t> CountKnowledge(Database& db);
// Called by every write of knowledge_base rows, inside the write's transaction (the cache is
// dropped again when it commits; outside a transaction that would be before the write).
void KnowledgeChanged(Database& db);
// Both counts are cached until a knowledge write in this process, and at most 10 s.
Result<int64_t> CountActiveKnowledge(Database& db);
// Active entries matching an FTS5 MATCH expression (document frequency of a term).
Result<int64_t> CountKnowledgeFts(Database& db, std::string_view match);

// knowledge chunks and their vectors (migration 4; knowledge_embeddings, the seed's vec0
// table, holds one float32 vector per chunk id)
// Replaces an entry's chunks, dropping the vectors of the old ones.
Status ReplaceChunks(Database& db, std::string_view knowledge_id,
                     const std::vector<ChunkRow>& chunks);
Result<std::vector<ChunkRow>> ChunksOf(Database& db, std::string_view knowledge_id);
// Chunks of active entries that have no vector yet (written during a rebuild), with their
// entry's title for the embedding text.
struct ChunkToEmbed {
  ChunkRow chunk;
  std::string title;
};
Result<std::vector<ChunkToEmbed>> ChunksWithoutVectors(Database& db);
// Every chunk of the active entries, for a rebuild.
Result<std::vector<ChunkToEmbed>> ActiveChunks(Database& db);
// Active entries with no chunk yet (new since the last index run).
Result<std::vector<KnowledgeRow>> KnowledgeWithoutChunks(Database& db);
Result<std::vector<KnowledgeRow>> ActiveKnowledge(Database& db);
// Writes the vector of a new chunk. `vec` has the table's dimension.
Status PutEmbedding(Database& db, std::string_view chunk_id, const std::vector<float>& vec);
Status DeleteEmbeddingsOf(Database& db, std::string_view knowledge_id);
Result<int64_t> CountEmbeddings(Database& db);
// The dimension knowledge_embeddings was created with (from its declaration).
Result<int> EmbeddingTableDimensions(Database& db);
struct ChunkHit {
  std::string chunk_id, knowledge_id;
  double distance = 0;  // L2 distance; for unit vectors, sqrt(2 - 2 * cosine similarity)
};
// k nearest chunks of active entries.
Result<std::vector<ChunkHit>> NearestChunks(Database& db, const std::vector<float>& query, int k);
// The dimension strategy's rebuild (seed-notes.md): vectors are staged in a TEMP table while
// reads go on, then one short transaction drops and recreates knowledge_embeddings with the
// new dimension and copies them in.
Status BeginEmbeddingStaging(Database& db);
Status StageEmbedding(Database& db, std::string_view chunk_id, const std::vector<float>& vec);
// Inside the caller's transaction; records embeddings.model and embeddings.dimensions.
Status SwapInStagedEmbeddings(Database& db, int dimensions, std::string_view model,
                              std::string_view now);

// audit (append-only: there is no update or delete here)
Status InsertAudit(Database& db, const AuditRow& a);
Result<std::vector<AuditRow>> ListAudit(Database& db, const OptString& action,
                                        const OptString& resource_id, int limit);

// Whether `actor_id` already has an `action` row on the resource with details.session equal
// to `session` (the "once per session" audits).
Result<bool> AuditExists(Database& db, std::string_view action, std::string_view resource_type,
                         std::string_view resource_id, std::string_view actor_id,
                         std::string_view session);

// web-chat sessions
Status InsertWebchatSession(Database& db, const WebchatSessionRow& s);
Status UpdateWebchatSession(Database& db, const WebchatSessionRow& s);
Result<std::optional<WebchatSessionRow>> FindWebchatSessionByTokenHash(Database& db,
                                                                       std::string_view hash);

}  // namespace jack::db
