// The node's own HTTP endpoints:
//   GET /healthz        200 while the process is up
//   GET /readyz         200 when the store is open and writes, the root
//                       supervisor runs and every subsystem is up
//                       (readiness.hpp); otherwise 503 saying which
//   GET /metrics        Prometheus text exposition 0.0.4
//   GET /api/v1/node    name, role, version, uptime, supervision tree (auth)
//   GET /api/v1/cluster a coordinator's members (roles, labels, state, last
//                       heartbeat, work in flight) or a worker's link (auth)
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/cluster/agent.hpp"
#include "actors/common/subsystem.hpp"
#include "messages/node.hpp"
#include "runtime/services/http/server.hpp"
#include "runtime/services/metrics/metrics.hpp"

namespace troupe {

class store;

struct node_route_context {
  caf::actor_system* sys;
  node_actor node;
  supervisor_actor root;
  store* db;
  metrics_registry* metrics;
  std::string role;
  member_info self;                       // this node as a cluster member
  link_monitor* link;                     // a worker's link to its coordinator
  std::vector<readiness_name> readiness;  // the subsystems' (readiness.hpp)
};

void add_node_routes(http_server& server, node_route_context ctx);

// Why the node cannot take writes now, "" when it can: names the store's file,
// its directory and the failure (store::health), and what to do.
std::string write_refusal(const store& db);

}  // namespace troupe
