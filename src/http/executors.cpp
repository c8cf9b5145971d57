#include "http/executors.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <optional>

#include "core/log.hpp"
#include "db/database.hpp"

namespace jack::http {

struct Workers::Impl {
  boost::asio::thread_pool db{1};
  boost::asio::thread_pool egress{2};
  boost::asio::thread_pool provider{2};
  boost::asio::thread_pool model{4};
  std::optional<boost::asio::thread_pool> read;
  std::string path;
  // Set (under `mu`) before the read and model pools are joined: work posted to them from
  // then on runs elsewhere (reads on the db thread, model calls on the caller's thread), as a
  // message's work can go read -> model -> read -> model -> db and none of it may be dropped.
  std::mutex mu;
  bool read_stopping = false;
  bool model_stopping = false;
};

Workers::Workers() : impl_(std::make_unique<Impl>()) {}
Workers::~Workers() { Stop(); }

void Workers::Db(std::function<void()> f) { boost::asio::post(impl_->db, std::move(f)); }
void Workers::Egress(std::function<void()> f) { boost::asio::post(impl_->egress, std::move(f)); }
void Workers::Provider(std::function<void()> f) {
  boost::asio::post(impl_->provider, std::move(f));
}
void Workers::Model(std::function<void()> f) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->model_stopping) {
      boost::asio::post(impl_->model, std::move(f));
      return;
    }
  }
  f();
}

void Workers::StartReaders(const std::string& path, int threads) {
  if (path.empty() || path == ":memory:" || threads <= 0 || impl_->read) return;
  impl_->path = path;
  impl_->read.emplace(static_cast<size_t>(threads));
}

bool Workers::has_readers() const { return impl_->read.has_value(); }

void Workers::Read(db::Database& writer, std::function<void(db::Database&)> f) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  if (!impl_->read || impl_->read_stopping) {
    lock.unlock();
    boost::asio::post(impl_->db, [&writer, f = std::move(f)] { f(writer); });
    return;
  }
  boost::asio::post(*impl_->read, [this, &writer, f = std::move(f)]() mutable {
    // Each reader thread opens its connection once (the pool's threads live as long as it).
    thread_local std::unique_ptr<db::Database> conn;
    thread_local bool failed = false;
    if (!conn && !failed) {
      db::OpenOptions o;
      o.path = impl_->path;
      o.read_only = true;
      auto d = db::Database::Open(o);
      if (d) {
        conn = std::move(*d);
      } else {
        failed = true;
        core::Log(core::LogLevel::warn, "read connection failed; reads go to the db thread",
                  {{"error", d.error().message}});
      }
    }
    if (conn) return f(*conn);
    boost::asio::post(impl_->db, [&writer, f = std::move(f)] { f(writer); });
  });
}

void Workers::Stop() {
  // In the direction work flows (reads and provider calls hand their results to the db
  // thread), so that nothing is posted to a pool that has stopped: a guest's message waiting
  // for the model is still stored.
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->read_stopping = true;
  }
  if (impl_->read) impl_->read->join();
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->model_stopping = true;
  }
  impl_->model.join();
  impl_->provider.join();
  impl_->egress.join();
  impl_->db.join();
}

}  // namespace jack::http
