#include <algorithm>

#include "runtime/services/http/connection.hpp"

namespace troupe::http_detail {

server_core::server_core(http_options options_in, metrics_registry* metrics)
    : options(std::move(options_in)), auth(options.tokens) {
  if (metrics == nullptr) return;
  requests = &metrics->counter_family(
      "troupe_http_requests_total", "HTTP requests answered, by method, route and status",
      {"method", "route", "code"});
  durations = &metrics->histogram_family(
      "troupe_http_request_duration_seconds",
      "Time from reading an HTTP request to starting to write its response",
      {"method", "route"}, default_duration_buckets());
  connections_open =
      &metrics->gauge_metric("troupe_http_connections_open", "Open HTTP connections");
  handlers_inflight = &metrics->gauge_metric("troupe_http_handlers_inflight",
                                             "HTTP handlers awaiting their responder");
}

bool server_core::try_begin_handler() {
  std::size_t current = inflight.load();
  do {
    if (current >= options.max_inflight) return false;
  } while (!inflight.compare_exchange_weak(current, current + 1));
  if (handlers_inflight != nullptr) handlers_inflight->inc();
  return true;
}

void server_core::end_handler() {
  // Under the gate's lock, so that close_gate() settles the gauge exactly;
  // after stop() the registry may be gone.
  std::lock_guard<std::mutex> lock(mutex_);
  inflight.fetch_sub(1);
  if (open_ && handlers_inflight != nullptr) handlers_inflight->dec();
}

bool server_core::track(const std::shared_ptr<connection>& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!open_) return false;
  // Forget dead connections now and then so the list stays proportional to
  // the live ones.
  if (connections_.size() >= 64 && connections_.size() == connections_.capacity()) {
    connections_.erase(std::remove_if(connections_.begin(), connections_.end(),
                                      [](const auto& w) { return w.expired(); }),
                       connections_.end());
  }
  connections_.push_back(c);
  return true;
}

void server_core::post_response(const std::shared_ptr<connection>& c,
                                http_response response) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!open_) return;
  c->post(
      [c, response = std::move(response)]() mutable { c->deliver(std::move(response)); });
}

std::vector<std::shared_ptr<connection>> server_core::close_gate() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = false;
    if (handlers_inflight != nullptr)
      handlers_inflight->dec(static_cast<double>(inflight));
  }
  return live_connections();
}

std::vector<std::shared_ptr<connection>> server_core::live_connections() {
  std::vector<std::shared_ptr<connection>> live;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& w : connections_) {
    if (auto c = w.lock()) live.push_back(std::move(c));
  }
  return live;
}

}  // namespace troupe::http_detail
