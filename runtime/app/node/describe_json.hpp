// JSON views of the node's self-description (GET /api/v1/node, troupe probe).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "messages/node.hpp"
#include "messages/supervisor.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/services/http/server.hpp"

namespace troupe {

json to_json(const supervisor_report& r);
// With `time_ms`, the node's wall clock as "time_ms" (to spot clock skew);
// with `routes`, the HTTP API the node serves as "routes" ([{"method",
// "pattern","auth"}]: which subsystems run here, for clients and the test
// that holds docs/http-api.md to the code).
json to_json(const node_description& d, std::optional<std::int64_t> time_ms = {},
             const std::vector<http_route_info>& routes = {});

}  // namespace troupe
