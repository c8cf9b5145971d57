#pragma once

#include <memory>
#include <string>

#include "ai/pipeline.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "http/executors.hpp"
#include "http/rate_limiter.hpp"

namespace jack::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 3000;
  std::string jwt_secret;
  bool rate_limits = true;
  std::string public_dir;  // unused when the web assets are embedded
};

// Everything the handlers share. `db` is touched only on the db worker.
struct AppState {
  ServerConfig config;
  std::unique_ptr<db::Database> db;
  const core::Clock* clock = nullptr;
  std::shared_ptr<const ai::Engine> engine;
  Workers workers;
  RateLimiter limiter{true};
  explicit AppState(bool rate_limits) : limiter(rate_limits) {}
};

}  // namespace jack::http
