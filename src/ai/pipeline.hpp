#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ai/classifier.hpp"
#include "ai/embedding.hpp"
#include "ai/entities.hpp"
#include "ai/llm.hpp"
#include "ai/retrieval.hpp"
#include "core/result.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"

namespace jack::ai {

// The local engine's parts, loaded once and shared by every thread.
struct Engine {
  std::shared_ptr<const IntentClassifier> classifier;
  std::shared_ptr<const Embedder> embedder;  // the configured provider (local by default)
  std::shared_ptr<const ChatModel> chat;     // a remote model that writes replies, or none
  // The embedded model and templates; `embedder` is the configured provider (nullptr: the
  // local one), `chat` the remote model (nullptr: templates only).
  static Result<std::shared_ptr<const Engine>> LoadEmbedded(
      std::shared_ptr<const Embedder> embedder = nullptr,
      std::shared_ptr<const ChatModel> chat = nullptr);
};

struct InboundMessage {
  std::string conversation_id;
  std::string content;
  std::string content_type = "text";
  std::optional<std::string> media_json;
  std::optional<std::string> channel_message_id;
  std::optional<std::string> created_at;  // provider's time; else now
  bool verified = false;                  // the guest's identity is verified for this conversation
  domain::Actor actor = domain::Actor::System();
  // The message analysed beforehand (on a read connection, off the db thread), or nothing:
  // HandleInbound then analyses it itself.
  std::shared_ptr<const struct Analysis> analysis;
};

// What the pipeline understood of one message (logged, evaluated, stored on the message).
struct Analysis {
  std::string language;
  bool language_reliable = false;
  std::string intent;  // full code
  std::string family;
  double confidence = 0;
  std::string rule;  // the keyword rule that decided, if any
  Entities entities;
  std::vector<RetrievedFact> facts;
  // A question asked beside a request ("two towels and the wifi password please"): its
  // answer follows the request's reply.
  std::optional<RetrievedFact> side_fact;
  std::vector<std::string> escalation_reasons;
  // The remote model's answer, asked for before the message is stored (ModelPrompt); the
  // policy of HandleInbound decides whether its reply is sent.
  std::optional<ModelAnswer> model_answer;
};

struct PipelineOutcome {
  db::MessageRow inbound;
  std::vector<db::MessageRow> replies;  // oldest first
  std::vector<db::TaskRow> tasks;       // created or updated by this message
  db::ConversationRow conversation;
  Analysis analysis;
  bool escalated = false;         // this message caused the hand-off
  bool knowledge_answer = false;  // the reply gives a fact of the knowledge base
  double micros = 0;              // pipeline time
};

// The main job for one guest message in a conversation that already exists: stores the
// message, analyses it, creates tasks, escalates, stores the replies — all in one
// transaction (architecture.md, Durability). If that transaction fails, the message alone is
// stored and the error returned. Runs on the db thread.
Result<PipelineOutcome> HandleInbound(domain::Ctx& ctx, const Engine& engine,
                                      const InboundMessage& in);

// Analysis only, no writes (for `jack eval`, tests, and the read connections that analyse a
// guest message before the db thread stores it).
Analysis Analyse(domain::Ctx& ctx, const Engine& engine, const std::string& text,
                 const std::string& fallback_language);
// A question about the hotel that the knowledge's words did not answer (none above
// ai.relevance_floor): worth a look by meaning when a remote embedder is configured.
bool WantsMeaningSearch(domain::Ctx& ctx, const Engine& engine, const Analysis& a);
// That look, with the question's vector from the engine's embedder (computed beforehand on a
// provider thread): the facts become the fused ones when their best scores higher. Reads
// only (any thread with a connection).
Status SearchByMeaning(domain::Ctx& ctx, Analysis& a, const std::string& text,
                       const std::vector<float>& query_vector);
// Runs the analysis of a few typical messages (no writes), so that the first guest does not
// pay for compiling the patterns, preparing the statements and counting the knowledge words.
void WarmUp(domain::Ctx& ctx, const Engine& engine);
// The prompt for the remote model about a guest's message, or nothing when the model has
// no say in it: emergencies, hand-offs, complaints, requests (their tasks and confirmations
// are the local engine's), reservation and billing answers, questions the knowledge base
// cannot answer. Reads the conversation, the guest and the knowledge found (any thread with
// a connection). `conversation_id` is empty for a conversation not yet created.
Result<std::optional<ChatRequest>> ModelPrompt(domain::Ctx& ctx, const Engine& engine,
                                               const Analysis& a,
                                               const std::string& conversation_id,
                                               const std::string& content, bool verified);

// The language a conversation is known to be in: the last reliable detection in its
// metadata, else its guest's, else English.
std::string ConversationLanguage(domain::Ctx& ctx, const db::ConversationRow& c);

}  // namespace jack::ai
