// JSON views of the node's self-description (GET /api/v1/node, troupe probe).
#pragma once

#include <cstdint>
#include <optional>

#include "messages/node.hpp"
#include "messages/supervisor.hpp"
#include "runtime/json.hpp"

namespace troupe {

json to_json(const supervisor_report& r);
// With `time_ms`, the node's wall clock as "time_ms" (to spot clock skew).
json to_json(const node_description& d, std::optional<std::int64_t> time_ms = {});

}  // namespace troupe
