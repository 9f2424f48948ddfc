#include "perf/troupe-kube-sim/delayer.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace troupe::kube_sim {

delayer::delayer(int threads) : io_(threads), work_(io_.get_executor()) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

delayer::~delayer() {
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
}

void delayer::after(std::chrono::milliseconds delay, std::function<void()> fn) {
  if (delay.count() <= 0) return boost::asio::post(io_, std::move(fn));
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
  timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code ec) {
    if (!ec) fn();
  });
}

}  // namespace troupe::kube_sim
