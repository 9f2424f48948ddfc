// The cluster's messages: how a worker node joins its coordinator, keeps
// its membership alive and finds the coordinator's actors.
//
//   worker's cluster agent → coordinator's node actor (node_actor, published
//   at [cluster] listen), which hands them to the membership actor:
//     (join_atom, std::string name) -> std::string nonce
//         step 1 of the challenge: a fresh random nonce for this node
//     (join_atom, member_info, std::string proof, std::string worker_nonce)
//         -> (std::string coordinator, std::string coordinator_proof)
//         step 2, both ways (join_proof below): the worker proves the secret
//         for the coordinator's nonce, bound to its own node id; the
//         coordinator answers with its proof for the worker's nonce, bound
//         to its node id, which the worker checks before it takes any work.
//         So a relay in the middle gets neither side admitted. Errors:
//         not_a_member (wrong proof, no challenge)
//     (heartbeat_atom, std::string name, member_load) -> std::int64_t now_ms
//         keeps the membership fresh; not_a_member when the coordinator does
//         not know this node (it restarted): the agent joins again
//     (lookup_atom, caf::atom_value name) -> caf::actor
//         a named actor of the coordinator's registry (atom names such as
//         "wfactions", "bsched"), members only; not_found when absent
//   anyone → node actor:
//     (members_atom) -> cluster_view     the membership (GET /api/v1/cluster)
//     (members_atom, std::uint64_t since) -> cluster_view
//         a long poll: answered once the view's version passes `since` (a
//         member joined or went down), or with the current view after 10 s
//
// Every actor that takes work from other nodes checks that the sending node
// is a member (cluster_members::find), so a node that did not pass the
// challenge cannot pull or report work even if it learns a handle.
#pragma once

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/atoms.hpp"

namespace troupe {

using join_atom = caf::atom_constant<caf::atom("join")>;
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
using lookup_atom = caf::atom_constant<caf::atom("lookup")>;
using members_atom = caf::atom_constant<caf::atom("members")>;
// Internal to the agent and the membership actor.
using reconnect_atom = caf::atom_constant<caf::atom("reconnect")>;
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;
using link_atom = caf::atom_constant<caf::atom("link")>;

// What a worker node offers ([node] name, [cluster] roles, platform, labels).
struct member_info {
  std::string name;
  std::vector<std::string> roles;   // creator | runner | platform
  std::string platform;             // the benchmark platform it runs, or ""
  std::vector<std::string> labels;  // "key=value" or "word"
  std::string version;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_info& x) {
  return f(caf::meta::type_name("troupe::member_info"), x.name, x.roles, x.platform,
           x.labels, x.version);
}

// The work a member has in hand, sent with every heartbeat.
struct member_load {
  std::uint32_t in_flight = 0;  // calls, creations and benchmark jobs running
  std::uint64_t completed = 0;  // finished since the node started
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_load& x) {
  return f(caf::meta::type_name("troupe::member_load"), x.in_flight, x.completed);
}

// One member as the coordinator sees it.
struct member_state {
  member_info info;
  std::string state;           // up | down
  std::string address;         // the node's CAF node id
  std::int64_t joined_ms = 0;  // unix ms of the latest join
  std::int64_t last_heartbeat_ms = 0;
  std::int64_t down_ms = 0;  // unix ms it was declared down (0 while up)
  std::uint32_t joins = 0;   // joins since the coordinator started
  member_load load;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_state& x) {
  return f(caf::meta::type_name("troupe::member_state"), x.info, x.state, x.address,
           x.joined_ms, x.last_heartbeat_ms, x.down_ms, x.joins, x.load);
}

struct cluster_view {
  std::string coordinator;  // this node's name
  std::vector<member_state> members;
  std::uint64_t version =
      0;  // grows when a member joins, goes down or reports a new load
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cluster_view& x) {
  return f(caf::meta::type_name("troupe::cluster_view"), x.coordinator, x.members,
           x.version);
}

// The requests a coordinator answers for its cluster (the node actor's
// cluster part, delegated to the membership actor).
using membership_actor = caf::typed_actor<
    caf::replies_to<join_atom, std::string>::with<std::string>,
    caf::replies_to<join_atom, member_info, std::string, std::string>::with<std::string,
                                                                            std::string>,
    caf::replies_to<heartbeat_atom, std::string, member_load>::with<std::int64_t>,
    caf::replies_to<lookup_atom, caf::atom_value>::with<caf::actor>,
    caf::replies_to<members_atom>::with<cluster_view>,
    caf::replies_to<members_atom, std::uint64_t>::with<cluster_view>>;

// A worker's link to its coordinator, as its GET /api/v1/cluster shows it;
// written by the agent (actors/cluster/agent.hpp).
struct link_status {
  std::uint64_t version = 0;  // grows at every change (link_monitor::update)
  std::string coordinator_address;
  std::string state = "connecting";  // connecting | joined | refused
  std::string coordinator;           // its node name once joined
  std::string last_error;
  std::int64_t joined_ms = 0;
  std::int64_t last_heartbeat_ms = 0;
  std::uint32_t sessions = 0;
  std::uint32_t failed_attempts = 0;  // connection attempts that failed, since start
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, link_status& x) {
  return f(caf::meta::type_name("troupe::link_status"), x.version, x.coordinator_address,
           x.state, x.coordinator, x.last_error, x.joined_ms, x.last_heartbeat_ms,
           x.sessions, x.failed_attempts);
}

// A worker's agent, as this node's HTTP route asks it:
//   (link_atom, std::uint64_t since) -> link_status
//       a long poll: at once when the link's version is past `since`, else
//       at its next change (heartbeats included) or after 10 s
using worker_link_actor =
    caf::typed_actor<caf::replies_to<link_atom, std::uint64_t>::with<link_status>>;

// The proofs of the join challenge: hex HMAC-SHA256 under the cluster
// secret over a direction tag ("join" from the worker, "admit" from the
// coordinator), the other side's nonce, the worker's name and the prover's
// own CAF node id (runtime/base/hmac.hpp computes it).
inline std::string join_proof_text(const char* direction, const std::string& nonce,
                                   const std::string& name,
                                   const std::string& prover_node) {
  return std::string(direction) + "\n" + nonce + "\n" + name + "\n" + prover_node;
}

// Does `member` offer `role` (creator, runner, platform)?
inline bool has_role(const member_info& member, const std::string& role) {
  for (auto& r : member.roles)
    if (r == role) return true;
  return false;
}

// Does a member carrying `labels` satisfy `selector` (every entry present)?
inline bool labels_match(const std::vector<std::string>& labels,
                         const std::vector<std::string>& selector) {
  for (auto& want : selector) {
    bool found = false;
    for (auto& have : labels) found = found || have == want;
    if (!found) return false;
  }
  return true;
}

}  // namespace troupe
