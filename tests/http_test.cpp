// Unit tests of the HTTP layer that need no socket: routing, query strings, error bodies,
// body parsing and the rate limiter.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "core/result.hpp"
#include "http/errors.hpp"
#include "http/handlers.hpp"
#include "http/json_mapping.hpp"
#include "http/rate_limiter.hpp"
#include "http/request.hpp"
#include "http/router.hpp"

namespace jack::http {
namespace {

namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
// Router
// ---------------------------------------------------------------------------------------------

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tag = [this](std::string name) {
      return [this, name](Request& req, Done) {
        called_ = name;
        params_ = req.params;
      };
    };
    router_.Add("GET", "/health", tag("health"));
    router_.Add("GET", "/api/v1/conversations/{id}", tag("get-conv"));
    router_.Add("GET", "/api/v1/conversations/{id}/messages", tag("list-msgs"));
    router_.Add("POST", "/api/v1/conversations/{id}/messages", tag("post-msg"));
    router_.Add("PUT", "/api/v1/settings/{key}", tag("put-setting"));
    router_.Add("GET", "/api/v1/tasks", tag("tasks"));
  }

  Router::Match Find(const std::string& method, const std::string& path,
                     std::string* allow = nullptr) {
    Request req;
    req.method = method;
    req.path = path;
    Handler* h = nullptr;
    std::string a;
    called_.clear();
    params_.clear();
    auto m = router_.Find(req, h, a);
    if (allow) *allow = a;
    if (m == Router::Match::found) {
      EXPECT_NE(h, nullptr);
      (*h)(req, [](Response) {});
    }
    return m;
  }

  Router router_;
  std::string called_;
  std::map<std::string, std::string> params_;
};

TEST_F(RouterTest, MatchesLiteralAndParameterisedPaths) {
  EXPECT_EQ(Find("GET", "/health"), Router::Match::found);
  EXPECT_EQ(called_, "health");
  EXPECT_EQ(Find("GET", "/api/v1/conversations/abc-123"), Router::Match::found);
  EXPECT_EQ(called_, "get-conv");
  EXPECT_EQ(params_["id"], "abc-123");
  EXPECT_EQ(Find("GET", "/api/v1/conversations/abc/messages"), Router::Match::found);
  EXPECT_EQ(called_, "list-msgs");
  EXPECT_EQ(params_["id"], "abc");
  EXPECT_EQ(Find("POST", "/api/v1/conversations/abc/messages"), Router::Match::found);
  EXPECT_EQ(called_, "post-msg");
  EXPECT_EQ(Find("GET", "/api/v1/tasks"), Router::Match::found);
  EXPECT_EQ(called_, "tasks");
}

TEST_F(RouterTest, HeadIsServedByGet) {
  EXPECT_EQ(Find("HEAD", "/health"), Router::Match::found);
  EXPECT_EQ(called_, "health");
}

TEST_F(RouterTest, KnownPathOtherMethodIs405WithAllow) {
  std::string allow;
  EXPECT_EQ(Find("DELETE", "/api/v1/conversations/abc/messages", &allow), Router::Match::no_method);
  EXPECT_TRUE(called_.empty());
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
  EXPECT_EQ(Find("POST", "/health", &allow), Router::Match::no_method);
  EXPECT_EQ(allow, "GET");
}

TEST_F(RouterTest, UnknownPathIs404) {
  EXPECT_EQ(Find("GET", "/api/v1/nope"), Router::Match::no_path);
  EXPECT_EQ(Find("GET", "/api/v1/conversations"), Router::Match::no_path);
  EXPECT_EQ(Find("GET", "/api/v1/conversations/a/b/c"), Router::Match::no_path);
  EXPECT_EQ(Find("GET", "/"), Router::Match::no_path);
  EXPECT_TRUE(called_.empty());
}

TEST_F(RouterTest, ParametersArePercentDecoded) {
  EXPECT_EQ(Find("PUT", "/api/v1/settings/escalation.threshold"), Router::Match::found);
  EXPECT_EQ(params_["key"], "escalation.threshold");
  EXPECT_EQ(Find("GET", "/api/v1/conversations/a%20b%2Fc%C3%A9"), Router::Match::found);
  EXPECT_EQ(params_["id"], "a b/c\xC3\xA9") << "an encoded slash stays inside one segment";
  EXPECT_EQ(Find("GET", "/api/v1/conversations/a+b"), Router::Match::found);
  EXPECT_EQ(params_["id"], "a+b") << "'+' is a space only in query strings";
}

TEST_F(RouterTest, RoutesAreListed) {
  auto routes = router_.Routes();
  EXPECT_EQ(routes.size(), 6u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/health");
}

TEST(UrlDecode, Cases) {
  std::string out;
  EXPECT_TRUE(UrlDecode("a%41%62+c", out, true));
  EXPECT_EQ(out, "aAb c");
  EXPECT_TRUE(UrlDecode("a+c", out, false));
  EXPECT_EQ(out, "a+c");
  EXPECT_FALSE(UrlDecode("%", out, false));
  EXPECT_FALSE(UrlDecode("%4", out, false));
  EXPECT_FALSE(UrlDecode("%zz", out, false));
  EXPECT_FALSE(UrlDecode("abc%g1", out, false));
}

TEST(ParseQuery, DecodesPairs) {
  std::map<std::string, std::string> q;
  ASSERT_TRUE(ParseQuery("a=1&b=hello+world&c=%41%42&d&e=&%66=x%3Dy&&", q));
  EXPECT_EQ(q["a"], "1");
  EXPECT_EQ(q["b"], "hello world");
  EXPECT_EQ(q["c"], "AB");
  EXPECT_TRUE(q.count("d"));
  EXPECT_EQ(q["d"], "");
  EXPECT_EQ(q["e"], "");
  EXPECT_EQ(q["f"], "x=y");
  EXPECT_EQ(q.size(), 6u);
}

TEST(ParseQuery, LastValueWins) {
  std::map<std::string, std::string> q;
  ASSERT_TRUE(ParseQuery("limit=5&limit=7", q));
  EXPECT_EQ(q["limit"], "7");
}

TEST(ParseQuery, RejectsBadEscapes) {
  std::map<std::string, std::string> q;
  EXPECT_FALSE(ParseQuery("x=%zz", q));
  EXPECT_FALSE(ParseQuery("x=%4", q));
  EXPECT_FALSE(ParseQuery("%=1", q));
  EXPECT_TRUE(ParseQuery("", q));
}

// ---------------------------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------------------------

json::object Body(const Response& r) {
  auto v = json::parse(r.body);
  return v.as_object();
}

std::string Header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

TEST(Errors, EveryErrcHasItsStatusAndCode) {
  const std::vector<std::tuple<Errc, int, std::string>> table = {
      {Errc::invalid_argument, 400, "VALIDATION_ERROR"},
      {Errc::unauthorized, 401, "UNAUTHORIZED"},
      {Errc::forbidden, 403, "FORBIDDEN"},
      {Errc::not_found, 404, "NOT_FOUND"},
      {Errc::conflict, 409, "CONFLICT"},
      {Errc::payload_too_large, 413, "PAYLOAD_TOO_LARGE"},
      {Errc::rate_limited, 429, "RATE_LIMITED"},
      {Errc::unavailable, 503, "UNAVAILABLE"},
      {Errc::internal, 500, "INTERNAL_ERROR"},
  };
  for (const auto& [errc, status, code] : table) {
    EXPECT_EQ(StatusFor(errc), status) << code;
    EXPECT_EQ(std::string(CodeFor(errc)), code);
    Error e{errc, "something about " + code, {}, {}, 0};
    Response r = ErrorResponse(e);
    EXPECT_EQ(r.status, status) << code;
    EXPECT_EQ(r.content_type, "application/json");
    auto b = Body(r);
    ASSERT_TRUE(b.contains("error")) << r.body;
    const auto& err = b.at("error").as_object();
    EXPECT_EQ(err.at("code").as_string(), code);
    EXPECT_TRUE(err.at("message").is_string());
    EXPECT_TRUE(err.at("details").is_object()) << r.body;
    EXPECT_EQ(b.size(), 1u) << "the body holds only `error`: " << r.body;
    if (errc == Errc::rate_limited) {
      EXPECT_FALSE(Header(r, "Retry-After").empty()) << "429 carries Retry-After";
    } else {
      EXPECT_TRUE(Header(r, "Retry-After").empty()) << code;
    }
  }
}

TEST(Errors, RateLimitedCarriesRetryAfter) {
  Response r = ErrorResponse(Error::RateLimited(42));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(Header(r, "Retry-After"), "42");
  EXPECT_EQ(Body(r).at("error").at("details").at("retryAfter").to_number<int>(), 42);
  Response zero = ErrorResponse(Error::RateLimited(0));
  EXPECT_EQ(Header(zero, "Retry-After"), "1") << "never tell a client to retry at once";
}

TEST(Errors, ValidationListsEachBadField) {
  Error e = Error::Invalid("invalid fields");
  e.fields = {{"content", "must be a string"}, {"email", "must be an email address"}};
  Response r = ErrorResponse(e);
  EXPECT_EQ(r.status, 400);
  auto body = Body(r);
  const auto& errors = body.at("error").at("details").at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("path").as_string(), "content");
  EXPECT_EQ(errors[0].at("message").as_string(), "must be a string");
  EXPECT_EQ(errors[1].at("path").as_string(), "email");
}

TEST(Errors, ForbiddenNamesThePermission) {
  Response r = ErrorResponse(Error::Forbidden("conversation.view"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Body(r).at("error").at("details").at("permission").as_string(), "conversation.view");
}

TEST(Errors, InternalNeverLeaksItsCause) {
  Response r = ErrorResponse(Error::Internal("sqlite: no such table: secrets_of_the_db"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secrets_of_the_db"), std::string::npos) << r.body;
}

TEST(Errors, EdgeErrors) {
  for (const auto& [status, code] :
       std::vector<std::pair<int, std::string>>{{405, "METHOD_NOT_ALLOWED"},
                                                {413, "PAYLOAD_TOO_LARGE"},
                                                {415, "UNSUPPORTED_MEDIA_TYPE"},
                                                {431, "HEADERS_TOO_LARGE"}}) {
    Response r = EdgeError(status, code, "why");
    EXPECT_EQ(r.status, status);
    auto b = Body(r);
    EXPECT_EQ(b.at("error").at("code").as_string(), code);
    EXPECT_EQ(b.at("error").at("message").as_string(), "why");
    EXPECT_TRUE(b.at("error").at("details").is_object());
  }
}

// ---------------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------------

void ExpectInvalidBody(const std::string& body, const std::string& why) {
  auto r = ParseBody(body);
  ASSERT_FALSE(r.ok()) << why;
  EXPECT_EQ(r.error().code, Errc::invalid_argument) << why;
  EXPECT_EQ(ErrorResponse(r.error()).status, 400) << why;
}

std::string Nested(int depth) {
  // {"a": [[[ ... ]]]} with `depth` containers in all.
  std::string s = "{\"a\":";
  for (int i = 1; i < depth; ++i) s += "[";
  s += "1";
  for (int i = 1; i < depth; ++i) s += "]";
  return s + "}";
}

TEST(ParseBody, AcceptsAnObject) {
  auto r = ParseBody(R"({"content": "two towels \ud83d\ude4f", "n": 2, "x": null})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->at("content").as_string(), "two towels \xF0\x9F\x99\x8F");
  auto utf8 = ParseBody(
      "{\"content\": \"\xE6\x97\xA5\xE6\x9C\xAC \xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7\"}");
  ASSERT_TRUE(utf8);
}

TEST(ParseBody, RejectsInvalidJson) {
  ExpectInvalidBody("", "empty");
  ExpectInvalidBody("{", "truncated");
  ExpectInvalidBody("{\"a\": }", "missing value");
  ExpectInvalidBody("{'a': 1}", "single quotes");
  ExpectInvalidBody("{\"a\": 1,}", "trailing comma");
  ExpectInvalidBody("{\"a\": 1} x", "trailing garbage");
  ExpectInvalidBody("{\"a\": NaN}", "NaN");
}

TEST(ParseBody, RejectsNonObjects) {
  for (std::string b : {"[]", "[1,2]", "\"text\"", "42", "null", "true"})
    ExpectInvalidBody(b, "not an object: " + b);
}

TEST(ParseBody, RejectsDepthOver32) {
  EXPECT_TRUE(ParseBody(Nested(10)).ok());
  EXPECT_TRUE(ParseBody(Nested(32)).ok()) << "32 levels are allowed";
  ExpectInvalidBody(Nested(33), "33 levels");
  ExpectInvalidBody(Nested(5000), "5000 levels (stack exhaustion attempt)");
}

TEST(ParseBody, RejectsInvalidUtf8) {
  ExpectInvalidBody("{\"content\": \"\xFF\"}", "0xFF");
  ExpectInvalidBody("{\"content\": \"\xC0\xAF\"}", "overlong");
  ExpectInvalidBody("{\"content\": \"\xED\xA0\x80\"}", "raw surrogate");
  ExpectInvalidBody("{\"content\": \"abc\xE6\x97\"}", "truncated");
}

TEST(JsonBody, ContentTypeMustBeJson) {
  Request req;
  req.body = R"({"a": 1})";
  req.headers["content-type"] = "application/json; charset=utf-8";
  EXPECT_TRUE(JsonBody(req).ok());
  req.headers["content-type"] = "application/merge-patch+json";
  EXPECT_TRUE(JsonBody(req).ok());
  req.headers.erase("content-type");
  EXPECT_FALSE(JsonBody(req).ok()) << "a body without a Content-Type is refused (415)";
  req.headers["content-type"] = "text/plain";
  auto r = JsonBody(req);
  ASSERT_FALSE(r.ok());
  bool marked = false;
  for (const auto& [k, v] : r.error().details) marked = marked || k == "unsupportedMediaType";
  EXPECT_TRUE(marked) << "the handler turns this into 415";
  req.headers["content-type"] = "application/json";
  req.body = "";
  EXPECT_FALSE(JsonBody(req).ok());
  EXPECT_TRUE(JsonBody(req, /*allow_empty=*/true).ok());
}

TEST(Fields, TypedReadersCollectErrors) {
  auto o = json::parse(R"({"content": 5, "name": "Ana", "blank": "  ", "n": "x"})").as_object();
  Fields f(o);
  EXPECT_FALSE(f.String("content", true).has_value());
  EXPECT_EQ(f.String("name", true), "Ana");
  EXPECT_FALSE(f.String("blank", true).has_value());
  EXPECT_FALSE(f.String("missing", false).has_value());
  EXPECT_FALSE(f.String("missing2", true).has_value());
  EXPECT_FALSE(f.Number("n", false).has_value());
  auto st = f.Finish();
  ASSERT_FALSE(st.ok());
  std::vector<std::string> paths;
  for (const auto& fe : st.error().fields) paths.push_back(fe.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"content", "blank", "missing2", "n"}));
  Response r = ErrorResponse(st.error());
  EXPECT_EQ(Body(r).at("error").at("details").at("errors").as_array()[0].at("path").as_string(),
            "content");
}

TEST(Fields, MaxLength) {
  auto o = json::parse(R"({"s": "abcdef"})").as_object();
  Fields f(o);
  EXPECT_FALSE(f.String("s", false, 5).has_value());
  EXPECT_FALSE(f.Finish().ok());
}

TEST(LimitParam, Range) {
  EXPECT_EQ(*LimitParam(std::nullopt), 50);
  EXPECT_EQ(*LimitParam(std::string("1")), 1);
  EXPECT_EQ(*LimitParam(std::string("200")), 200);
  for (std::string bad : {"0", "201", "-1", "abc", "", "1e2", "99999"})
    EXPECT_FALSE(LimitParam(bad).ok()) << bad;
}

// ---------------------------------------------------------------------------------------------
// Redaction in the JSON shapes (api.md, Redaction)
// ---------------------------------------------------------------------------------------------

TEST(Redaction, GuestFieldsAreAbsentNotNull) {
  db::GuestRow g;
  g.id = "g1";
  g.first_name = "Anna";
  g.last_name = "Whitfield";
  g.email = "anna@example.com";
  g.phone = "+447700900123";
  g.total_revenue = 1200;
  auto none = GuestJson(g, {false, false});
  EXPECT_FALSE(none.contains("email"));
  EXPECT_FALSE(none.contains("phone"));
  EXPECT_FALSE(none.contains("totalRevenue"));
  auto all = GuestJson(g, {true, true});
  EXPECT_EQ(all.at("email").as_string(), "anna@example.com");
  EXPECT_EQ(all.at("phone").as_string(), "+447700900123");
  EXPECT_EQ(all.at("totalRevenue").to_number<double>(), 1200);
}

TEST(Redaction, ReservationFinancials) {
  db::ReservationRow r;
  r.id = "r1";
  r.total_rate = 540;
  r.rate_code = "BAR";
  auto none = ReservationJson(r, {true, false});
  for (const char* k : {"totalRate", "balance", "rateCode"}) EXPECT_FALSE(none.contains(k)) << k;
  auto all = ReservationJson(r, {true, true});
  EXPECT_EQ(all.at("rateCode").as_string(), "BAR");
}

TEST(Redaction, ChannelIdOfPhoneChannels) {
  db::ConversationRow c;
  c.id = "c1";
  c.channel_type = "whatsapp";
  c.channel_id = "+351912345678";
  EXPECT_FALSE(ConversationJson(c, {false, false}).contains("channelId"));
  EXPECT_TRUE(ConversationJson(c, {true, false}).contains("channelId"));
  c.channel_type = "webchat";
  EXPECT_TRUE(ConversationJson(c, {false, false}).contains("channelId"));
}

TEST(PublicMessage, HasNoStaffOnlyFields) {
  db::MessageRow m;
  m.id = "m1";
  m.conversation_id = "c1";
  m.direction = "inbound";
  m.sender_type = "guest";
  m.sender_id = "g1";
  m.content = "hi";
  m.intent = "greeting";
  m.confidence = 0.9;
  m.entities = "[]";
  auto o = PublicMessageJson(m);
  for (const char* k : {"intent", "confidence", "entities", "senderId"})
    EXPECT_FALSE(o.contains(k)) << k;
  auto s = MessageJson(m, Redaction{true, true});
  EXPECT_EQ(s.at("intent").as_string(), "greeting");
  EXPECT_TRUE(s.at("entities").is_array());
}

TEST(MessageJson, AFinancialAnswerIsWithheldFromStaffWithoutTheFinancialPermission) {
  db::MessageRow m;
  m.id = "m2";
  m.conversation_id = "c1";
  m.direction = "outbound";
  m.sender_type = "ai";
  m.content = "Your current balance is 245.00 EUR.";
  m.sensitivity = "financial";
  EXPECT_EQ(MessageJson(m, Redaction{true, true}).at("content").as_string(), m.content);
  auto hidden = MessageJson(m, Redaction{true, false});
  EXPECT_EQ(std::string(hidden.at("content").as_string()).find("245"), std::string::npos);
  EXPECT_EQ(PublicMessageJson(m).at("content").as_string(), m.content) << "the guest sees it";
  m.sensitivity.reset();
  EXPECT_EQ(MessageJson(m, Redaction{true, false}).at("content").as_string(), m.content);
}

// ---------------------------------------------------------------------------------------------
// Rate limiter
// ---------------------------------------------------------------------------------------------

TEST(RateLimiter, TakeAllowsTheLimitThenRefuses) {
  RateLimiter rl(true);
  int retry = 0;
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(rl.Take("k", 10, std::chrono::seconds(60), retry)) << i;
  EXPECT_FALSE(rl.Take("k", 10, std::chrono::seconds(60), retry));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 61);
  EXPECT_TRUE(rl.Take("other", 10, std::chrono::seconds(60), retry)) << "keys are independent";
  rl.Reset("k");
  EXPECT_TRUE(rl.Take("k", 10, std::chrono::seconds(60), retry));
}

TEST(RateLimiter, CheckDoesNotRecord) {
  RateLimiter rl(true);
  int retry = 0;
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(rl.Check("k", 5, std::chrono::seconds(60), retry));
  for (int i = 0; i < 5; ++i) rl.Record("k");
  EXPECT_FALSE(rl.Check("k", 5, std::chrono::seconds(60), retry));
}

TEST(RateLimiter, DisabledNeverRefuses) {
  RateLimiter rl(false);
  int retry = 0;
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(rl.Take("k", 1, std::chrono::seconds(60), retry));
}

}  // namespace
}  // namespace jack::http
