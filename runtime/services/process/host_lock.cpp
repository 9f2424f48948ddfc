#include "runtime/services/process/host_lock.hpp"

#include "runtime/services/metrics/metrics.hpp"

namespace troupe {

std::string_view host_use_name(host_use u) {
  return u == host_use::exclusive ? "exclusive" : "shared";
}

host_lock::host_lock(bool enabled, metrics_registry* metrics) : enabled_(enabled) {
  if (!metrics || !enabled) return;
  held_metric_ = &metrics->gauge_family("troupe_host_lock_held",
                                        "Leases of the host held now (exclusive: a "
                                        "benchmark measures)",
                                        {"use"});
  waiting_metric_ = &metrics->gauge_family("troupe_host_lock_waiting",
                                           "Requests waiting for the host", {"use"});
  wait_seconds_ =
      &metrics->counter_family("troupe_host_lock_wait_seconds_total",
                               "Time requests spent waiting for the host", {"use"});
  for (auto use : {host_use::shared, host_use::exclusive}) count_locked(use, 0, 0);
}

void host_lock::count_locked(host_use use, int held_delta, int waiting_delta) {
  std::string name(host_use_name(use));
  if (held_metric_) held_metric_->with({name}).inc(held_delta);
  if (waiting_metric_) waiting_metric_->with({name}).inc(waiting_delta);
}

std::uint64_t host_lock::acquire(host_use use, std::string holder,
                                 std::function<void()> granted) {
  std::vector<std::function<void()>> ready;
  std::uint64_t ticket;
  {
    std::lock_guard<std::mutex> guard{mu_};
    ticket = next_ticket_++;
    if (!enabled_) {
      ready.push_back(std::move(granted));
    } else {
      waiting_.push_back(
          {{ticket, use, std::move(holder), clock::now()}, std::move(granted)});
      count_locked(use, 0, 1);
      ready = grant_locked();
    }
  }
  for (auto& f : ready)
    if (f) f();
  return ticket;
}

void host_lock::release(std::uint64_t ticket) {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard<std::mutex> guard{mu_};
    if (auto i = held_.find(ticket); i != held_.end()) {
      if (i->second.use == host_use::exclusive) --exclusive_held_;
      count_locked(i->second.use, -1, 0);
      held_.erase(i);
    } else {
      for (auto w = waiting_.begin(); w != waiting_.end(); ++w) {
        if (w->e.ticket != ticket) continue;
        count_locked(w->e.use, 0, -1);
        waiting_.erase(w);
        break;
      }
    }
    ready = grant_locked();
  }
  for (auto& f : ready)
    if (f) f();
}

std::vector<std::function<void()>> host_lock::grant_locked() {
  std::vector<std::function<void()>> ready;
  auto now = clock::now();
  while (!waiting_.empty()) {
    auto& head = waiting_.front();
    bool free = head.e.use == host_use::exclusive ? held_.empty() : exclusive_held_ == 0;
    if (!free) break;
    if (wait_seconds_)
      wait_seconds_->with({std::string(host_use_name(head.e.use))})
          .inc(std::chrono::duration<double>(now - head.e.since).count());
    count_locked(head.e.use, 1, -1);
    if (head.e.use == host_use::exclusive) ++exclusive_held_;
    head.e.since = now;
    held_.emplace(head.e.ticket, head.e);
    ready.push_back(std::move(head.granted));
    waiting_.pop_front();
  }
  return ready;
}

host_lock::snapshot host_lock::state() const {
  std::lock_guard<std::mutex> guard{mu_};
  snapshot s;
  for (auto& [ticket, e] : held_) s.held.push_back(e);
  for (auto& w : waiting_) s.waiting.push_back(w.e);
  return s;
}

}  // namespace troupe
