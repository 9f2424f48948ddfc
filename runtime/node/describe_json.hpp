// JSON views of the node's self-description (GET /api/v1/node, troupe probe).
#pragma once

#include "messages/node.hpp"
#include "messages/supervisor.hpp"
#include "runtime/json.hpp"

namespace troupe {

json to_json(const supervisor_report& r);
json to_json(const node_description& d);

}  // namespace troupe
