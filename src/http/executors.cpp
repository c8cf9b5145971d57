#include "http/executors.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace jack::http {

struct Workers::Impl {
  boost::asio::thread_pool db{1};
  boost::asio::thread_pool egress{2};
};

Workers::Workers() : impl_(std::make_unique<Impl>()) {}
Workers::~Workers() { Stop(); }

void Workers::Db(std::function<void()> f) { boost::asio::post(impl_->db, std::move(f)); }
void Workers::Egress(std::function<void()> f) { boost::asio::post(impl_->egress, std::move(f)); }

void Workers::Stop() {
  impl_->db.join();
  impl_->egress.join();
}

}  // namespace jack::http
