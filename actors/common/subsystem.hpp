// subsystem: how fleet, workflow and bench plug into a node. The node
// assembly owns one object per subsystem and calls it in this order:
//   declare(cfg)      before the configuration is read: its INI section(s)
//   check(cfg)        after reading: ranges and user-named entries; errors name
//                     file:line and key (exit 2, nothing started)
//   migrations()      its tables, merged into the node's schema
//   start(services)   spawns its supervisor (a child of the node's root) and
//                     returns the handle; called again on every restart
//   routes(server, services)  its HTTP endpoints (before the server starts)
//   readiness(cfg)    the names in the node's actor_directory that must be up
//                     for it to take work (standalone and coordinator nodes;
//                     the node is ready, GET /readyz, when all of them are)
//   attach(session, services) on a worker node instead of start(): after each
//                     join, spawns the actors that pull this subsystem's work
//                     from the coordinator (runtime/services/cluster/session.hpp); they
//                     watch the coordinator's actors and end when those go;
//                     the coordinator's actors it finds with session.lookup
//                     are those cluster_lookups() names
// Actors a subsystem's routes talk to are found by name in the actor
// registry at request time, so that restarts do not leave stale handles.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <functional>
#include <string>
#include <vector>

#include "messages/supervisor.hpp"
#include "runtime/base/status.hpp"
#include "runtime/services/cluster/session.hpp"
#include "runtime/services/config/node_config.hpp"
#include "runtime/services/store/store_types.hpp"

namespace troupe {

class github_webhooks;
class host_lock;
class http_server;
class metrics_registry;
class process_service;
class store;

// The node's services, alive for the whole life of the actor system.
struct node_services {
  caf::actor_system* sys = nullptr;
  store* db = nullptr;
  metrics_registry* metrics = nullptr;
  process_service* processes = nullptr;
  github_webhooks* webhooks = nullptr;
  const node_config* cfg = nullptr;
  // A coordinator's members: actors that take work from other nodes refuse
  // senders that are not members (null outside a coordinator).
  const cluster_members* members = nullptr;
  // This machine's host lock: measurements take it exclusive, heavy work
  // shared (runtime/services/process/host_lock.hpp). The process service waits on it
  // for every start whose spec asks.
  host_lock* host = nullptr;
  // Supervision events of the subsystems' supervisors, (supervisor, event,
  // child), for the log and troupe_supervisor_events_total; the
  // supervisor_flags::observer of actors/supervisor/supervisor.hpp. May be empty.
  std::function<void(const std::string&, const std::string&, const std::string&)>
      supervision;
};

// A name in the node's actor_directory and what to call it in an answer
// ("pool 'linux'").
struct readiness_name {
  std::string name;
  std::string what;
};

class subsystem {
 public:
  virtual ~subsystem() = default;
  virtual std::string name() const = 0;
  virtual void declare(node_config& cfg) = 0;
  virtual status check(const node_config& cfg) = 0;
  virtual std::vector<migration> migrations() const = 0;
  virtual supervisor_actor start(node_services& services) = 0;
  virtual void routes(http_server& server, node_services& services) = 0;
  virtual std::vector<caf::actor> attach(const cluster_session&, node_services&) {
    return {};
  }
  virtual std::vector<std::string> cluster_lookups() const { return {}; }
  virtual std::vector<readiness_name> readiness(const node_config&) const { return {}; }
};

}  // namespace troupe
