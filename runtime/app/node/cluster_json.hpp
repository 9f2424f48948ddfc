// JSON views of the cluster (GET /api/v1/cluster): a coordinator's members,
// or a worker's link to its coordinator.
#pragma once

#include "actors/cluster/agent.hpp"
#include "messages/cluster.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe {

json to_json(const cluster_view& v);
json to_json(const link_status& s, const member_info& self);

}  // namespace troupe
