#include "actors/bench/bench_context.hpp"

namespace troupe::bench {

void bench_directory::put(const std::string& role, caf::actor handle) {
  std::lock_guard<std::mutex> guard{mu_};
  actors_[role] = handle.address();
}

caf::actor bench_directory::get(const std::string& role) const {
  std::lock_guard<std::mutex> guard{mu_};
  auto i = actors_.find(role);
  return i == actors_.end() ? caf::actor{} : caf::actor_cast<caf::actor>(i->second);
}

}  // namespace troupe::bench
