// Unit tests of the outbound HTTP client against a real HTTP server on loopback
// (tests/fake_http.hpp: it speaks HTTP/1.1 over a socket, as providers do).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "fake_http.hpp"
#include "outbound/http_client.hpp"

namespace jack::outbound {
namespace {

using FakeServer = fake::FakeHttpServer;
using fake::Reply;

TEST(Fetch, PostsTheBodyAndHeadersAndReadsTheAnswer) {
  FakeServer server(Reply(201, R"({"ok":true})", "X-Request-Id: abc\r\n"));
  std::string body(5000, 'x');  // over curl's 1 kB "Expect: 100-continue" threshold
  auto r = Fetch("POST", server.url("/v1/things"),
                 {{"Authorization", "Bearer k"}, {"Content-Type", "application/json"}}, body, 2000);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, R"({"ok":true})");
  bool seen = false;
  for (const auto& [k, v] : r->headers) seen = seen || (k == "x-request-id" && v == "abc");
  EXPECT_TRUE(seen) << "header names are lower-cased";
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].rfind("POST /v1/things HTTP/1.1\r\n", 0), 0u) << reqs[0].substr(0, 80);
  EXPECT_NE(reqs[0].find("Authorization: Bearer k\r\n"), std::string::npos);
  EXPECT_EQ(reqs[0].find("Expect:"), std::string::npos) << "no 100-continue round trip";
  EXPECT_EQ(reqs[0].substr(reqs[0].size() - body.size()), body);
}

TEST(Fetch, ErrorStatusesAreAnswersNotFailures) {
  FakeServer server(Reply(429, R"({"error":"slow down"})", "Retry-After: 3\r\n"));
  auto r = Fetch("GET", server.url(), {}, "", 2000);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 429);
}

TEST(Fetch, ASlowServerTimesOut) {
  FakeServer server(Reply(200, "{}"), std::chrono::milliseconds(800));
  auto t0 = std::chrono::steady_clock::now();
  auto r = Fetch("GET", server.url(), {}, "", 200);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
  EXPECT_LT(ms, 700) << "gave up at the time-out, not when the server answered";
}

TEST(Fetch, NobodyListeningAndOtherSchemesFail) {
  int port = 0;
  {
    FakeServer gone(Reply(200, "{}"));
    port = std::stoi(gone.url().substr(17));
  }
  auto r = Fetch("GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, "", 1000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
  EXPECT_FALSE(Fetch("GET", "file:///etc/passwd", {}, "", 1000));
  EXPECT_FALSE(Fetch("GET", "gopher://127.0.0.1/", {}, "", 1000));
}

TEST(FetchWithRetry, RetriesBusyAndFailingAnswersThenGivesTheAnswer) {
  FakeServer server([](const std::string&, int i) {
    if (i == 0) return Reply(429, R"({"error":"busy"})");
    if (i == 1) return Reply(503, R"({"error":"down"})");
    return Reply(200, R"({"ok":1})");
  });
  RetryPolicy p{.attempts = 3,
                .backoff = std::chrono::milliseconds(10),
                .budget = std::chrono::milliseconds(5000)};
  auto r = FetchWithRetry("POST", server.url("/x"), {}, "{}", p);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(FetchWithRetry, ClientErrorsAreNotRetriedAndAttemptsRunOut) {
  FakeServer bad(Reply(401, R"({"error":"bad key"})"));
  RetryPolicy p{.attempts = 3,
                .backoff = std::chrono::milliseconds(10),
                .budget = std::chrono::milliseconds(5000)};
  auto r = FetchWithRetry("GET", bad.url(), {}, "", p);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(bad.requests().size(), 1u) << "a 401 will not change on a retry";
  FakeServer down(Reply(500, "{}"));
  r = FetchWithRetry("GET", down.url(), {}, "", p);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500) << "the last answer when the attempts run out";
  EXPECT_EQ(down.requests().size(), 3u);
}

TEST(FetchWithRetry, TheBudgetBoundsTheWholeCall) {
  // Every attempt stalls: the call ends at the budget, not at attempts x time-out.
  FakeServer stalled(Reply(200, "{}"), std::chrono::milliseconds(1500));
  RetryPolicy p{.attempts = 5,
                .backoff = std::chrono::milliseconds(10),
                .budget = std::chrono::milliseconds(300)};
  auto t0 = std::chrono::steady_clock::now();
  auto r = FetchWithRetry("GET", stalled.url(), {}, "", p);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_FALSE(r);
  EXPECT_LT(ms, 1000);
  // A Retry-After longer than the budget left is not waited for.
  FakeServer later(Reply(429, "{}", "Retry-After: 30\r\n"));
  t0 = std::chrono::steady_clock::now();
  r = FetchWithRetry("GET", later.url(), {}, "", p);
  ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
           .count();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_LT(ms, 1000);
  EXPECT_EQ(later.requests().size(), 1u);
}

}  // namespace
}  // namespace jack::outbound
