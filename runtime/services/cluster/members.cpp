#include "runtime/services/cluster/members.hpp"

namespace troupe {

void cluster_members::admit(const caf::node_id& node, member_info info) {
  std::lock_guard<std::mutex> guard{mu_};
  members_[node] = std::move(info);
  version_.fetch_add(1, std::memory_order_release);
}

void cluster_members::remove(const caf::node_id& node) {
  std::lock_guard<std::mutex> guard{mu_};
  members_.erase(node);
  version_.fetch_add(1, std::memory_order_release);
}

bool cluster_members::contains(const caf::node_id& node) const {
  std::lock_guard<std::mutex> guard{mu_};
  return members_.count(node) > 0;
}

std::optional<member_info> cluster_members::find(const caf::node_id& node) const {
  std::lock_guard<std::mutex> guard{mu_};
  auto i = members_.find(node);
  if (i == members_.end()) return std::nullopt;
  return i->second;
}

}  // namespace troupe
