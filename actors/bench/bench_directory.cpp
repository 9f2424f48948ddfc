#include "actors/bench/bench_context.hpp"

namespace troupe::bench {

void bench_directory::put_scheduler(const bench_scheduler_actor& handle) {
  put("scheduler", handle.address());
}

void bench_directory::put_collector(const bench_collector_actor& handle) {
  put("collector", handle.address());
}

void bench_directory::put_history(const bench_history_actor& handle) {
  put("history", handle.address());
}

bench_scheduler_actor bench_directory::scheduler() const {
  return caf::actor_cast<bench_scheduler_actor>(get("scheduler"));
}

bench_collector_actor bench_directory::collector() const {
  return caf::actor_cast<bench_collector_actor>(get("collector"));
}

bench_history_actor bench_directory::history() const {
  return caf::actor_cast<bench_history_actor>(get("history"));
}

void bench_directory::put(const std::string& role, caf::actor_addr addr) {
  std::lock_guard<std::mutex> guard{mu_};
  actors_[role] = std::move(addr);
}

caf::actor bench_directory::get(const std::string& role) const {
  std::lock_guard<std::mutex> guard{mu_};
  auto i = actors_.find(role);
  return i == actors_.end() ? caf::actor{} : caf::actor_cast<caf::actor>(i->second);
}

}  // namespace troupe::bench
