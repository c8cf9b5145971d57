#include "ai/llm.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "core/strings.hpp"
#include "outbound/http_client.hpp"

namespace jack::ai {
namespace {

namespace json = boost::json;

outbound::RetryPolicy Policy(long timeout_ms) {
  outbound::RetryPolicy p;
  p.attempts = 3;
  p.backoff = std::chrono::milliseconds(200);
  p.budget = std::chrono::milliseconds(timeout_ms);
  return p;
}

Error Failed(const std::string& provider, const Result<outbound::HttpResponse>& r) {
  if (!r) return Error::Unavailable(provider + ": " + r.error().message);
  std::string msg = ProviderErrorMessage(r->body);
  return Error::Unavailable(provider + " answered HTTP " + std::to_string(r->status) +
                            (msg.empty() ? "" : ": " + msg));
}

int IntAt(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? static_cast<int>(v->as_int64()) : 0;
}

// Anthropic wants user and assistant turns alternating, starting with the user: turns of one
// role in a row are joined, and a leading assistant turn goes.
std::vector<ChatMessage> Alternating(const std::vector<ChatMessage>& in) {
  std::vector<ChatMessage> out;
  for (const auto& m : in) {
    if (m.content.empty()) continue;
    if (out.empty() && m.role != "user") continue;
    if (!out.empty() && out.back().role == m.role)
      out.back().content += "\n\n" + m.content;
    else
      out.push_back(m);
  }
  return out;
}

}  // namespace

std::string ProviderErrorMessage(const std::string& body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  std::string msg;
  if (!ec && v.is_object()) {
    const auto* e = v.as_object().if_contains("error");
    if (e && e->is_object()) {
      if (const auto* m = e->as_object().if_contains("message"); m && m->is_string())
        msg = std::string(m->as_string());
    } else if (e && e->is_string()) {
      msg = std::string(e->as_string());
    }
  }
  // Providers quote part of a rejected key ("Incorrect API key provided: sk-...abcd"): no part
  // of a key reaches a log or an error body.
  std::string clean;
  size_t i = 0;
  auto separator = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '\'' || c == '"' || c == '`' ||
           c == ':' || c == '=' || c == ',' || c == '(' || c == ')';
  };
  while (i < msg.size()) {
    size_t j = i;
    while (j < msg.size() && !separator(msg[j])) ++j;
    std::string_view word(msg.data() + i, j - i);
    bool keyish =
        word.find("sk-") != std::string_view::npos || word.find("key-") != std::string_view::npos ||
        word.find("***") != std::string_view::npos || word.find("...") != std::string_view::npos ||
        (word.size() >= 20 && std::any_of(word.begin(), word.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c));
         }));
    clean += keyish ? std::string("[redacted]") : std::string(word);
    if (j < msg.size()) clean += std::isspace(static_cast<unsigned char>(msg[j])) ? ' ' : msg[j];
    i = j + 1;
  }
  return core::Utf8Prefix(clean, 200);
}

Result<ChatReply> ChatModel::Complete(const ChatRequest& req) const {
  usage_.calls.fetch_add(1);
  auto r = Call(req);
  if (!r) {
    usage_.failures.fetch_add(1);
    return r;
  }
  usage_.input_tokens.fetch_add(static_cast<uint64_t>(std::max(0, r->input_tokens)));
  usage_.output_tokens.fetch_add(static_cast<uint64_t>(std::max(0, r->output_tokens)));
  return r;
}

Result<ChatReply> OpenAIChat::Call(const ChatRequest& req) const {
  json::array messages;
  messages.push_back(json::object{{"role", "system"}, {"content", req.system}});
  for (const auto& m : req.messages)
    messages.push_back(json::object{{"role", m.role}, {"content", m.content}});
  json::object body{{"model", o_.model},
                    {"messages", std::move(messages)},
                    {"max_tokens", req.max_tokens},
                    {"temperature", req.temperature}};
  if (req.json) body["response_format"] = json::object{{"type", "json_object"}};
  std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
  if (!o_.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + o_.api_key);
  auto r = outbound::FetchWithRetry("POST", o_.base_url + "/chat/completions", headers,
                                    json::serialize(body), Policy(o_.timeout_ms));
  if (!r || r->status != 200) return Failed("openai", r);
  boost::system::error_code ec;
  auto v = json::parse(r->body, ec);
  auto bad = [](const char* why) {
    return Error::Unavailable(std::string("openai sent an unusable answer: ") + why);
  };
  if (ec || !v.is_object()) return bad("not JSON");
  const auto* choices = v.as_object().if_contains("choices");
  if (!choices || !choices->is_array() || choices->as_array().empty() ||
      !choices->as_array()[0].is_object())
    return bad("no choices");
  const auto* msg = choices->as_array()[0].as_object().if_contains("message");
  const json::value* content =
      msg && msg->is_object() ? msg->as_object().if_contains("content") : nullptr;
  if (!content || !content->is_string()) return bad("no message content");
  ChatReply out;
  out.text = std::string(content->as_string());
  if (const auto* u = v.as_object().if_contains("usage"); u && u->is_object()) {
    out.input_tokens = IntAt(u->as_object(), "prompt_tokens");
    out.output_tokens = IntAt(u->as_object(), "completion_tokens");
  }
  return out;
}

Result<ChatReply> AnthropicChat::Call(const ChatRequest& req) const {
  json::array messages;
  for (const auto& m : Alternating(req.messages))
    messages.push_back(json::object{{"role", m.role}, {"content", m.content}});
  if (messages.empty()) return Error::Invalid("anthropic: no user message to answer");
  std::string system = req.system;
  if (req.json) system += "\n\nAnswer with one JSON object only, no other text.";
  json::object body{{"model", o_.model},
                    {"system", system},
                    {"messages", std::move(messages)},
                    {"max_tokens", req.max_tokens},
                    {"temperature", req.temperature}};
  std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"},
                                                           {"anthropic-version", "2023-06-01"}};
  if (!o_.api_key.empty()) headers.emplace_back("x-api-key", o_.api_key);
  auto r = outbound::FetchWithRetry("POST", o_.base_url + "/v1/messages", headers,
                                    json::serialize(body), Policy(o_.timeout_ms));
  if (!r || r->status != 200) return Failed("anthropic", r);
  boost::system::error_code ec;
  auto v = json::parse(r->body, ec);
  auto bad = [](const char* why) {
    return Error::Unavailable(std::string("anthropic sent an unusable answer: ") + why);
  };
  if (ec || !v.is_object()) return bad("not JSON");
  const auto* content = v.as_object().if_contains("content");
  if (!content || !content->is_array()) return bad("no content");
  ChatReply out;
  for (const auto& block : content->as_array()) {
    if (!block.is_object()) continue;
    const auto* type = block.as_object().if_contains("type");
    const auto* text = block.as_object().if_contains("text");
    if (type && type->is_string() && type->as_string() == "text" && text && text->is_string())
      out.text += std::string(text->as_string());
  }
  if (out.text.empty()) return bad("no text block");
  if (const auto* u = v.as_object().if_contains("usage"); u && u->is_object()) {
    out.input_tokens = IntAt(u->as_object(), "input_tokens");
    out.output_tokens = IntAt(u->as_object(), "output_tokens");
  }
  return out;
}

Result<ModelAnswer> ParseModelAnswer(const std::string& text) {
  auto open = text.find('{');
  auto close = text.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open)
    return Error::Invalid("the model's answer holds no JSON object");
  boost::system::error_code ec;
  auto v = json::parse(std::string_view(text).substr(open, close - open + 1), ec);
  if (ec || !v.is_object()) return Error::Invalid("the model's answer is not a JSON object");
  const auto& o = v.as_object();
  ModelAnswer a;
  if (const auto* r = o.if_contains("reply"); r && r->is_string())
    a.reply = std::string(r->as_string());
  if (const auto* h = o.if_contains("handoff"); h && h->is_bool()) a.handoff = h->as_bool();
  if (const auto* r = o.if_contains("reason"); r && r->is_string())
    a.reason = std::string(r->as_string()).substr(0, 200);
  while (!a.reply.empty() && std::isspace(static_cast<unsigned char>(a.reply.back())))
    a.reply.pop_back();
  if (a.reply.empty() && !a.handoff) return Error::Invalid("the model's answer has no reply");
  if (a.reply.size() > 4000) {  // a web-chat message's limit, cut on a character boundary
    size_t n = 4000;
    while (n > 0 && (static_cast<unsigned char>(a.reply[n]) & 0xC0) == 0x80) --n;
    a.reply.resize(n);
  }
  return a;
}

}  // namespace jack::ai
