// agent: a worker node's link to its coordinator. It connects to the
// coordinator's published node actor (plain TCP or TLS, see
// runtime/services/cluster/transport.hpp), answers the join challenge with the
// cluster secret, then asks each subsystem to attach its worker-side actors
// (which pull work from the coordinator), and sends a heartbeat with the
// node's load every heartbeat interval.
//
// When the coordinator is lost (CAF reports its node actor down, or a
// heartbeat is refused because it restarted) the agent connects again with
// exponential backoff (100 ms doubling to 5 s) and joins again; no manual
// step is needed. Attached actors are not killed when the link drops: they
// watch the coordinator's actors they use and finish what they hold first.
// When every actor one subsystem attached has ended while the link is up,
// that subsystem is attached again.
//
// The agent never blocks: connecting, joining, looking up the coordinator's
// actors (opts.lookups, before each attach) and heartbeats are requests with
// timeouts, and the attach functions, which may wait for a round trip to
// the coordinator, run in a short-lived detached helper that hands the
// actors they started back to the agent. (A detached agent would hang the
// node's exit: see docs/architecture.md on detached actors.)
//
// The agent is put in the node's actor_directory (agent_key) and answers
// the worker_link_actor protocol (messages/cluster.hpp): a long poll on the
// link (a worker's GET /api/v1/cluster?since=V).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/common/actor_directory.hpp"
#include "runtime/services/cluster/session.hpp"
#include "runtime/services/cluster/transport.hpp"

namespace troupe {

class metrics_registry;

class link_monitor {
 public:
  link_status get() const {
    std::lock_guard<std::mutex> guard{mu_};
    return status_;
  }
  template <class F>
  void update(F&& f) {
    std::lock_guard<std::mutex> guard{mu_};
    f(status_);
    ++status_.version;
  }

 private:
  mutable std::mutex mu_;
  link_status status_;
};

using attach_fn = std::function<std::vector<caf::actor>(const cluster_session&)>;

struct agent_options {
  cluster_endpoint coordinator;
  member_info self;
  std::string secret;
  std::chrono::milliseconds heartbeat_interval{500};
  std::vector<attach_fn> subsystems;  // one per subsystem
  // The names attach functions look up (cluster_session::lookup): fetched
  // from the coordinator after each join and before each re-attach.
  std::vector<std::string> lookups;
  std::shared_ptr<cluster_work> work = std::make_shared<cluster_work>();
  link_monitor* status = nullptr;
  metrics_registry* metrics = nullptr;
};

inline const actor_key<worker_link_actor> agent_key{"clagent"};

worker_link_actor spawn_agent(caf::actor_system& sys, agent_options options);

}  // namespace troupe
