#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

// Remote language models (ai.md, Engines): `openai` (chat completions: OpenAI, Ollama, vLLM,
// llama.cpp server) and `anthropic` (Messages API). A model only writes the reply text and
// may ask for a hand-off; the local classifier and its rules decide tasks and escalation.
namespace jack::ai {

struct ChatMessage {
  std::string role;  // "user" (the guest) or "assistant" (the hotel: AI or staff)
  std::string content;
};

struct ChatRequest {
  std::string system;
  std::vector<ChatMessage> messages;  // oldest first; the last is the guest's new message
  int max_tokens = 400;
  double temperature = 0.2;
  bool json = true;  // ask for one JSON object (OpenAI response_format; Anthropic by prompt)
};

struct ChatReply {
  std::string text;
  int input_tokens = 0;
  int output_tokens = 0;
};

struct LlmOptions {
  std::string base_url;  // openai: up to and including /v1; anthropic: without /v1
  std::string api_key;
  std::string model;
  long timeout_ms = 8000;  // the whole call, retries included
};

// Calls made and tokens used, for /metrics (the seed keeps token counts out of the audit log).
struct LlmUsage {
  std::atomic<uint64_t> calls{0};
  std::atomic<uint64_t> failures{0};  // errors and time-outs: the local reply was given
  std::atomic<uint64_t> input_tokens{0};
  std::atomic<uint64_t> output_tokens{0};
};

class ChatModel {
 public:
  explicit ChatModel(LlmOptions o) : o_(std::move(o)) {}
  virtual ~ChatModel() = default;
  virtual std::string provider() const = 0;  // "openai" or "anthropic"
  std::string model() const { return o_.model; }
  long timeout_ms() const { return o_.timeout_ms; }
  // Blocking: call it on a provider thread. Errors (unavailable) name the status and the
  // provider's message, never the key. Usage is counted here.
  Result<ChatReply> Complete(const ChatRequest& req) const;
  LlmUsage& usage() const { return usage_; }

 protected:
  virtual Result<ChatReply> Call(const ChatRequest& req) const = 0;
  LlmOptions o_;

 private:
  mutable LlmUsage usage_;
};

class OpenAIChat final : public ChatModel {
 public:
  using ChatModel::ChatModel;
  std::string provider() const override { return "openai"; }

 protected:
  Result<ChatReply> Call(const ChatRequest& req) const override;
};

class AnthropicChat final : public ChatModel {
 public:
  using ChatModel::ChatModel;
  std::string provider() const override { return "anthropic"; }

 protected:
  Result<ChatReply> Call(const ChatRequest& req) const override;
};

// The provider's own words on a failed call (error.message of the OpenAI and Anthropic
// shapes, or a plain error string), at most 200 characters; "" when there are none.
std::string ProviderErrorMessage(const std::string& body);

// What the model is asked to answer: {"reply": text, "handoff": bool, "reason": text}.
struct ModelAnswer {
  std::string reply;
  bool handoff = false;
  std::string reason;
};
// Reads the model's JSON (the first {...} of the text, so that a fenced or chatty answer still
// parses); an error when there is no usable reply.
Result<ModelAnswer> ParseModelAnswer(const std::string& text);

}  // namespace jack::ai
