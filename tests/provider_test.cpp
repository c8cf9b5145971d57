// The AI providers' clients against fake providers on loopback (tests/fake_http.hpp): real
// HTTP over a socket, speaking each provider's protocol.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <string>

#include "ai/embedding.hpp"
#include "ai/llm.hpp"
#include "fake_http.hpp"

namespace jack::ai {
namespace {

namespace json = boost::json;
using fake::BodyOf;
using fake::FakeHttpServer;
using fake::Reply;

// An OpenAI-style /v1/embeddings answer: for input i, a vector of `dims` numbers that are not
// normalised (i + 1 in the first place, 1 elsewhere), listed in reverse order with `index`.
std::string EmbeddingsAnswer(const std::string& request, int dims) {
  auto req = json::parse(BodyOf(request)).as_object();
  const auto& input = req.at("input").as_array();
  json::array data;
  for (size_t i = input.size(); i-- > 0;) {
    json::array v;
    for (int d = 0; d < dims; ++d) v.push_back(d == 0 ? static_cast<double>(i + 1) : 1.0);
    data.push_back(json::object{{"object", "embedding"}, {"index", i}, {"embedding", v}});
  }
  return Reply(200, json::serialize(json::object{
                        {"object", "list"}, {"data", data}, {"model", req.at("model")}}));
}

RemoteEmbedderOptions Options(const FakeHttpServer& server, int dims = 8) {
  RemoteEmbedderOptions o;
  o.base_url = server.url("/v1");
  o.api_key = "sk-test-secret";
  o.model = "text-embedding-3-small";
  o.dimensions = dims;
  o.timeout_ms = 5000;
  return o;
}

TEST(OpenAIEmbedder, SendsTheOpenAIRequestAndNormalisesTheAnswerInInputOrder) {
  FakeHttpServer server([](const std::string& r, int) { return EmbeddingsAnswer(r, 8); });
  auto o = Options(server);
  o.send_dimensions = true;
  OpenAIEmbedder e(o);
  EXPECT_TRUE(e.remote());
  auto v = e.Embed({"breakfast hours", "pool"});
  ASSERT_TRUE(v) << v.error().message;
  ASSERT_EQ(v->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_EQ((*v)[i].size(), 8u);
    double norm = 0;
    for (float x : (*v)[i]) norm += double(x) * x;
    EXPECT_NEAR(norm, 1.0, 1e-5) << "L2-normalised";
  }
  // Input order, whatever order the answer lists them in: the first place says which.
  EXPECT_LT((*v)[0][0], (*v)[1][0]);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].rfind("POST /v1/embeddings HTTP/1.1\r\n", 0), 0u) << reqs[0].substr(0, 60);
  EXPECT_NE(reqs[0].find("Authorization: Bearer sk-test-secret\r\n"), std::string::npos);
  auto body = json::parse(BodyOf(reqs[0])).as_object();
  EXPECT_EQ(body.at("model").as_string(), "text-embedding-3-small");
  EXPECT_EQ(body.at("input").as_array().size(), 2u);
  EXPECT_EQ(body.at("dimensions").as_int64(), 8);
}

TEST(OpenAIEmbedder, BatchesOf64) {
  FakeHttpServer server([](const std::string& r, int) { return EmbeddingsAnswer(r, 4); });
  OpenAIEmbedder e(Options(server, 4));
  std::vector<std::string> texts(130, "towels");
  auto v = e.Embed(texts);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->size(), 130u);
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_FALSE(json::parse(BodyOf(server.requests()[0])).as_object().contains("dimensions"))
      << "dimensions is sent only when asked for";
}

TEST(OpenAIEmbedder, RetriesABusyProviderThenSucceeds) {
  FakeHttpServer server([](const std::string& r, int i) {
    if (i == 0) return Reply(429, R"({"error":{"message":"Rate limit reached"}})");
    if (i == 1) return Reply(502, "bad gateway");
    return EmbeddingsAnswer(r, 8);
  });
  OpenAIEmbedder e(Options(server));
  auto v = e.Embed({"spa"});
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(OpenAIEmbedder, ErrorsNameTheStatusAndMessageButNeverTheKey) {
  FakeHttpServer server(Reply(401, R"({"error":{"message":"Incorrect API key provided"}})"));
  OpenAIEmbedder e(Options(server));
  auto v = e.Embed({"spa"});
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Errc::unavailable);
  EXPECT_NE(v.error().message.find("401"), std::string::npos) << v.error().message;
  EXPECT_NE(v.error().message.find("Incorrect API key"), std::string::npos);
  EXPECT_EQ(v.error().message.find("sk-test-secret"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 1u) << "a 401 is not retried";
}

TEST(OpenAIEmbedder, RefusesAnswersItCannotUse) {
  const std::pair<const char*, std::string> cases[] = {
      {"not JSON", Reply(200, "<html>")},
      {"no data", Reply(200, R"({"object":"list"})")},
      {"one vector for two texts",
       Reply(200, R"({"data":[{"index":0,"embedding":[1,0,0,0,0,0,0,0]}]})")},
      {"wrong dimension", Reply(200, R"({"data":[{"index":0,"embedding":[1,0]},)"
                                     R"({"index":1,"embedding":[1,0]}]})")},
      {"strings",
       Reply(200, R"({"data":[{"index":0,"embedding":["a","b","c","d","e","f","g","h"]},)"
                  R"({"index":1,"embedding":[1,0,0,0,0,0,0,0]}]})")},
      {"zero vector", Reply(200, R"({"data":[{"index":0,"embedding":[0,0,0,0,0,0,0,0]},)"
                                 R"({"index":1,"embedding":[1,0,0,0,0,0,0,0]}]})")},
      {"index out of range", Reply(200, R"({"data":[{"index":5,"embedding":[1,0,0,0,0,0,0,0]},)"
                                        R"({"index":1,"embedding":[1,0,0,0,0,0,0,0]}]})")},
      {"same index twice", Reply(200, R"({"data":[{"index":1,"embedding":[1,0,0,0,0,0,0,0]},)"
                                      R"({"index":1,"embedding":[1,0,0,0,0,0,0,0]}]})")},
  };
  for (const auto& [name, answer] : cases) {
    FakeHttpServer server(answer);
    OpenAIEmbedder e(Options(server));
    auto v = e.Embed({"a", "b"});
    EXPECT_FALSE(v) << name;
    if (!v) {
      EXPECT_EQ(v.error().code, Errc::unavailable) << name;
    }
  }
}

TEST(OpenAIEmbedder, AStalledProviderFailsAtTheTimeOut) {
  FakeHttpServer server(Reply(200, "{}"), std::chrono::milliseconds(1500));
  auto o = Options(server);
  o.timeout_ms = 300;
  OpenAIEmbedder e(o);
  auto t0 = std::chrono::steady_clock::now();
  auto v = e.Embed({"a"});
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_FALSE(v);
  EXPECT_LT(ms, 1000);
}

TEST(KnownEmbeddingDimensions, KnowsTheCommonModels) {
  EXPECT_EQ(KnownEmbeddingDimensions("text-embedding-3-small"), 1536);
  EXPECT_EQ(KnownEmbeddingDimensions("text-embedding-3-large"), 3072);
  EXPECT_EQ(KnownEmbeddingDimensions("nomic-embed-text"), 768);
  EXPECT_EQ(KnownEmbeddingDimensions("nomic-embed-text:latest"), 768);
  EXPECT_EQ(KnownEmbeddingDimensions("nomic-embed-textual"), 0);
  EXPECT_EQ(KnownEmbeddingDimensions("my-own-model"), 0);
}

// ---- chat models ----

LlmOptions ChatOptions(const FakeHttpServer& server, const std::string& base_path) {
  LlmOptions o;
  o.base_url = server.url(base_path);
  if (!base_path.empty() && o.base_url.back() == '/') o.base_url.pop_back();
  o.api_key = "sk-chat-secret";
  o.model = "test-model";
  o.timeout_ms = 3000;
  return o;
}

ChatRequest AConversation() {
  ChatRequest r;
  r.system = "You are the concierge.";
  r.messages = {{"assistant", "Welcome!"},
                {"user", "Hi"},
                {"user", "what time is breakfast?"},
                {"assistant", "7 to 10."},
                {"user", "and on Sunday?"}};
  return r;
}

std::string OpenAIAnswer(const std::string& content) {
  return Reply(
      200, json::serialize(json::object{
               {"id", "chatcmpl-1"},
               {"object", "chat.completion"},
               {"choices",
                json::array{json::object{{"index", 0},
                                         {"message", {{"role", "assistant"}, {"content", content}}},
                                         {"finish_reason", "stop"}}}},
               {"usage", {{"prompt_tokens", 120}, {"completion_tokens", 30}}}}));
}

std::string AnthropicAnswer(const std::string& text) {
  return Reply(200, json::serialize(json::object{
                        {"id", "msg_1"},
                        {"type", "message"},
                        {"role", "assistant"},
                        {"content", json::array{json::object{{"type", "text"}, {"text", text}}}},
                        {"stop_reason", "end_turn"},
                        {"usage", {{"input_tokens", 90}, {"output_tokens", 20}}}}));
}

TEST(OpenAIChat, SendsChatCompletionsAndCountsTokens) {
  FakeHttpServer server(OpenAIAnswer(R"({"reply":"Sunday 8 to 11.","handoff":false})"));
  OpenAIChat chat(ChatOptions(server, "/v1"));
  auto r = chat.Complete(AConversation());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->text, R"({"reply":"Sunday 8 to 11.","handoff":false})");
  EXPECT_EQ(chat.usage().calls.load(), 1u);
  EXPECT_EQ(chat.usage().input_tokens.load(), 120u);
  EXPECT_EQ(chat.usage().output_tokens.load(), 30u);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].rfind("POST /v1/chat/completions HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(reqs[0].find("Authorization: Bearer sk-chat-secret\r\n"), std::string::npos);
  auto body = json::parse(BodyOf(reqs[0])).as_object();
  EXPECT_EQ(body.at("model").as_string(), "test-model");
  const auto& msgs = body.at("messages").as_array();
  ASSERT_EQ(msgs.size(), 6u) << "the system prompt, then the conversation as it is";
  EXPECT_EQ(msgs[0].at("role").as_string(), "system");
  EXPECT_EQ(msgs[5].at("content").as_string(), "and on Sunday?");
  EXPECT_EQ(body.at("response_format").at("type").as_string(), "json_object");
}

TEST(AnthropicChat, SendsTheMessagesApiWithAlternatingTurns) {
  FakeHttpServer server(AnthropicAnswer(R"({"reply":"Sunday 8 to 11.","handoff":false})"));
  AnthropicChat chat(ChatOptions(server, ""));
  auto r = chat.Complete(AConversation());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->text, R"({"reply":"Sunday 8 to 11.","handoff":false})");
  EXPECT_EQ(chat.usage().input_tokens.load(), 90u);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].rfind("POST /v1/messages HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(reqs[0].find("x-api-key: sk-chat-secret\r\n"), std::string::npos);
  EXPECT_NE(reqs[0].find("anthropic-version: 2023-06-01\r\n"), std::string::npos);
  EXPECT_EQ(reqs[0].find("Authorization:"), std::string::npos);
  auto body = json::parse(BodyOf(reqs[0])).as_object();
  EXPECT_NE(std::string(body.at("system").as_string()).find("You are the concierge."),
            std::string::npos);
  EXPECT_EQ(body.at("max_tokens").as_int64(), 400);
  const auto& msgs = body.at("messages").as_array();
  // The leading assistant turn goes; the two user turns in a row become one.
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[0].at("role").as_string(), "user");
  EXPECT_EQ(msgs[0].at("content").as_string(), "Hi\n\nwhat time is breakfast?");
  EXPECT_EQ(msgs[1].at("role").as_string(), "assistant");
  EXPECT_EQ(msgs[2].at("role").as_string(), "user");
}

TEST(ChatModels, OverloadedProvidersAreRetriedAndBadKeysAreNot) {
  FakeHttpServer busy([](const std::string&, int i) {
    if (i == 0) return Reply(529, R"({"type":"error","error":{"type":"overloaded_error"}})");
    return AnthropicAnswer(R"({"reply":"ok"})");
  });
  AnthropicChat a(ChatOptions(busy, ""));
  ASSERT_TRUE(a.Complete(AConversation()));
  EXPECT_EQ(busy.requests().size(), 2u);

  FakeHttpServer bad(Reply(401, R"({"error":{"message":"Incorrect API key provided"}})"));
  OpenAIChat o(ChatOptions(bad, "/v1"));
  auto r = o.Complete(AConversation());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("401"), std::string::npos);
  EXPECT_NE(r.error().message.find("Incorrect API key"), std::string::npos);
  EXPECT_EQ(r.error().message.find("sk-chat-secret"), std::string::npos);
  EXPECT_EQ(bad.requests().size(), 1u);
  EXPECT_EQ(o.usage().failures.load(), 1u);
}

TEST(ChatModels, AStalledProviderFailsWithinTheTimeOut) {
  FakeHttpServer stalled(OpenAIAnswer("{}"), std::chrono::milliseconds(2000));
  auto opts = ChatOptions(stalled, "/v1");
  opts.timeout_ms = 400;
  OpenAIChat chat(opts);
  auto t0 = std::chrono::steady_clock::now();
  auto r = chat.Complete(AConversation());
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_FALSE(r);
  EXPECT_LT(ms, 450 + 50) << "the time-out bounds the call, retries included";
}

TEST(ChatModels, UnusableAnswersAreErrors) {
  for (const auto& answer : {Reply(200, "not json"), Reply(200, R"({"choices":[]})"),
                             Reply(200, R"({"choices":[{"message":{"content":null}}]})")}) {
    FakeHttpServer server(answer);
    OpenAIChat chat(ChatOptions(server, "/v1"));
    EXPECT_FALSE(chat.Complete(AConversation())) << answer;
  }
  FakeHttpServer empty(Reply(200, R"({"content":[{"type":"tool_use","id":"x"}]})"));
  AnthropicChat a(ChatOptions(empty, ""));
  EXPECT_FALSE(a.Complete(AConversation()));
}

TEST(ParseModelAnswer, ReadsTheJsonAnywhereInTheText) {
  auto a =
      ParseModelAnswer("```json\n{\"reply\": \"Breakfast is 7-10.\", \"handoff\": false}\n```");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->reply, "Breakfast is 7-10.");
  EXPECT_FALSE(a->handoff);
  auto h = ParseModelAnswer(R"({"reply": "", "handoff": true, "reason": "not in the knowledge"})");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->handoff);
  EXPECT_EQ(h->reason, "not in the knowledge");
  EXPECT_FALSE(ParseModelAnswer("Breakfast is at seven."));
  EXPECT_FALSE(ParseModelAnswer(R"({"reply": ""})"));
  EXPECT_FALSE(ParseModelAnswer(R"({"reply": 5})"));
  std::string long_reply = "{\"reply\": \"" + std::string(3999, 'a') + "\xC3\xA9\xC3\xA9\"}";
  auto l = ParseModelAnswer(long_reply);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->reply.size(), 3999u) << "cut before a character, not inside it";
}

}  // namespace
}  // namespace jack::ai

TEST(ProviderErrorMessage, KeepsTheMessageAndDropsAnyPartOfAKey) {
  auto m = jack::ai::ProviderErrorMessage(
      R"({"error":{"message":"Incorrect API key provided: sk-proj-abcd****wxyz. Check it."}})");
  EXPECT_NE(m.find("Incorrect API key provided"), std::string::npos) << m;
  EXPECT_EQ(m.find("sk-"), std::string::npos) << m;
  EXPECT_EQ(m.find("wxyz"), std::string::npos) << m;
  auto a = jack::ai::ProviderErrorMessage(
      R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})");
  EXPECT_EQ(a, "invalid x-api-key");
  auto t = jack::ai::ProviderErrorMessage(
      R"({"error":{"message":"bad token a1b2c3d4e5f6a7b8c9d0e1f2a3"}})");
  EXPECT_EQ(t.find("a1b2c3d4e5f6a7b8c9d0e1f2a3"), std::string::npos) << t;
  // Long messages are cut, never inside a character.
  std::string long_msg(300, 'x');
  long_msg.replace(199, 2, "\xC3\xA9");
  auto l = jack::ai::ProviderErrorMessage(R"({"error":{"message":")" + long_msg + R"("}})");
  EXPECT_LE(l.size(), 200u);
  EXPECT_TRUE(l.size() == 199u) << l.size();
}
