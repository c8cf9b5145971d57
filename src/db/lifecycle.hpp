#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "db/records.hpp"

// SQL for the data's life cycle: retention (seed's table), GDPR erasure and export, idle
// conversations. Like repositories.hpp: the caller's connection and transaction.
namespace jack::db {

// ---- retention ----
// ISO 8601 UTC instants; rows strictly older go. Conversations are measured from their last
// message (created_at when they have none), the rest from created_at (seed-notes.md).
struct RetentionCutoffs {
  std::string messages, conversations, tasks, audit;
};
struct RetentionCounts {
  int64_t messages = 0, conversations = 0, tasks = 0, audit = 0;
  int64_t total() const { return messages + conversations + tasks + audit; }
};
Result<RetentionCounts> CountExpired(Database& db, const RetentionCutoffs& c);
// Deletes at most `batch` rows of each kind (tasks, then messages, then conversations that
// have no messages left, then audit), so that a caller can commit between batches and never
// hold the write lock for long. Tasks and web-chat sessions that still point at a deleted
// conversation lose the link (tasks keep their own, shorter retention).
Result<RetentionCounts> DeleteExpiredBatch(Database& db, const RetentionCutoffs& c, int batch);

// ---- erasure and export ----
Result<std::vector<ConversationRow>> ConversationsOfGuest(Database& db, std::string_view guest_id);
// Conversations of web-chat sessions whose visitor typed `email` (a claim, never verified,
// so never linked to the guest), other than the guest's own.
Result<std::vector<ConversationRow>> ConversationsClaimingEmail(Database& db,
                                                                std::string_view email,
                                                                std::string_view guest_id);
// Sessions that claimed `email` go too (they hold it in claimed_email).
Status DeleteWebchatSessionsClaiming(Database& db, std::string_view email);
Result<std::vector<ReservationRow>> ReservationsOfGuest(Database& db, std::string_view guest_id);
Result<std::vector<MessageRow>> MessagesOfConversation(Database& db,
                                                       std::string_view conversation_id);
Result<std::vector<TaskRow>> TasksOfConversation(Database& db, std::string_view conversation_id);
// Tasks whose description, notes or completion notes contain `needle` (case-insensitive).
Result<std::vector<TaskRow>> TasksMentioning(Database& db, std::string_view needle);
// Audit rows about the guest (resource) or by the guest (actor), oldest first.
Result<std::vector<AuditRow>> AuditOfGuest(Database& db, std::string_view guest_id);
Status UpdateMessageContent(Database& db, std::string_view id, std::string_view content,
                            const OptString& media, const OptString& entities);
// The web-chat sessions of the guest or of one of the conversations go (they hold the
// claimed name, email and address).
Status DeleteWebchatSessionsOfGuest(Database& db, std::string_view guest_id);
// Audit rows whose actor is the guest lose IP and user agent (the only change the
// append-only trigger of migration 3 allows).
Status ForgetGuestActorAddresses(Database& db, std::string_view guest_id);
// FTS5 'optimize' (merges segments, dropping deleted copies) and a TRUNCATE checkpoint, so
// that no old page image in the WAL keeps erased data. Not inside a transaction.
Status ScrubAfterErasure(Database& db);

// ---- maintenance ----
// VACUUM, then the FTS5 'rebuild' at once: VACUUM may renumber the implicit rowids of
// knowledge_base, which knowledge_fts refers to (seed-notes.md). Not inside a transaction.
Status VacuumAndRebuildFts(Database& db);
// The FTS5 'rebuild' alone: knowledge_fts re-read from knowledge_base.
Status RebuildKnowledgeFts(Database& db);

// ---- idle conversations ----
// Active, AI-owned conversations whose last message is outbound (Jack waits for the guest),
// older than `before`, not yet warned.
Result<std::vector<ConversationRow>> IdleToWarn(Database& db, std::string_view before, int limit);
// Active conversations warned before `before` with no inbound message since.
Result<std::vector<ConversationRow>> IdleToAbandon(Database& db, std::string_view before,
                                                   int limit);

// ---- job runs (migration 3) ----
Result<std::optional<std::string>> LastJobRun(Database& db, std::string_view name);
Status RecordJobRun(Database& db, std::string_view name, std::string_view at,
                    std::string_view result_json);

}  // namespace jack::db
