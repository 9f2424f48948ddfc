// cluster_members: which remote nodes are members of this coordinator's
// cluster, readable from any actor. The membership actor is the only
// writer; actors that take work from other nodes call find() on the sender's
// node to refuse non-members (messages/cluster.hpp).
//
// cluster_work: the work a worker node has in hand, counted by the actors
// that run remote work and reported with every heartbeat.
#pragma once

#include <atomic>
#include <caf/actor_control_block.hpp>
#include <caf/node_id.hpp>
#include <map>
#include <mutex>
#include <optional>

#include "messages/cluster.hpp"

namespace troupe {

class cluster_members {
 public:
  void admit(const caf::node_id& node, member_info info);
  void remove(const caf::node_id& node);

  // The member's info, or nullopt for a node that is not a member (now).
  std::optional<member_info> find(const caf::node_id& node) const;

  // True for a member (without copying its info).
  bool contains(const caf::node_id& node) const;

  // True for `local` (this node) and for members.
  bool allowed(const caf::node_id& node, const caf::node_id& local) const {
    return node == local || contains(node);
  }

  // Grows with every admit() and remove(): a reader that dropped the work
  // of non-members at version v has nothing to drop until it changes (a
  // dispatch must not check every idle worker's node per call).
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // True when version() moved past `seen`, which it then records: what a
  // reader asks before dropping the work of non-members, once per change.
  bool changed_since(std::uint64_t& seen) const {
    auto now = version();
    if (now == seen) return false;
    seen = now;
    return true;
  }

 private:
  mutable std::mutex mu_;
  std::map<caf::node_id, member_info> members_;
  std::atomic<std::uint64_t> version_{0};
};

// True when `sender` is an actor of this node (`here`). Handlers that only
// this node's actors may use (internal steps, requests from the HTTP API)
// check it: CAF 0.17 delivers messages from any connected node to an actor
// whose handle was ever sent across, including anonymous ones, so an
// exported actor cannot trust a message just because it arrived.
inline bool from_this_node(const caf::strong_actor_ptr& sender,
                           const caf::node_id& here) {
  return sender && sender->node() == here;
}

struct cluster_work {
  std::atomic<std::uint32_t> in_flight{0};
  std::atomic<std::uint64_t> completed{0};

  void started() { ++in_flight; }
  void finished() {
    --in_flight;
    ++completed;
  }
  // A job given up unfinished (its actor ended): no longer in flight, not
  // completed.
  void abandoned() { --in_flight; }
  member_load load() const { return {in_flight.load(), completed.load()}; }
};

}  // namespace troupe
