#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ai/pipeline.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "http/executors.hpp"
#include "http/hub.hpp"
#include "http/metrics.hpp"
#include "http/rate_limiter.hpp"

namespace jack::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 3000;
  std::string jwt_secret;
  bool rate_limits = true;
  // JACK_TRUSTED_PROXIES: peers whose X-Forwarded-For is believed (exact addresses).
  std::vector<std::string> trusted_proxies;
  int read_threads = 2;
};

// Everything the handlers share. `db` is touched only on the db worker.
struct AppState {
  ServerConfig config;
  std::unique_ptr<db::Database> db;
  const core::Clock* clock = nullptr;
  std::shared_ptr<const ai::Engine> engine;
  Workers workers;
  RateLimiter limiter{true};
  Hub hub;
  Metrics metrics;
  // False while the knowledge index is being brought in line with the embedding provider
  // (GET /health/ready says so; answers use full text and the old vectors meanwhile).
  std::atomic<bool> index_current{false};
  std::atomic<bool> index_syncing{false};  // a background index run is under way
  std::atomic<int> model_calls{0};         // guest messages waiting for the remote model
  explicit AppState(bool rate_limits) : limiter(rate_limits) {}

  // security.cors_origins as the edge reads it on every request (the io thread cannot read
  // the database); refreshed when the setting is written.
  std::shared_ptr<const std::vector<std::string>> CorsOrigins() const {
    std::lock_guard lock(cors_mu_);
    return cors_;
  }
  void SetCorsOrigins(const std::string& setting);

 private:
  mutable std::mutex cors_mu_;
  std::shared_ptr<const std::vector<std::string>> cors_ =
      std::make_shared<const std::vector<std::string>>();
};

}  // namespace jack::http
