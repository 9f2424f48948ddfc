// JSON views of fleet's messages for the HTTP API and the CLI.
#pragma once

#include <vector>

#include "messages/fleet.hpp"
#include "runtime/json.hpp"

namespace troupe::fleet {

json to_json(const pool_status& s);
json to_json(const scale_report& r);
json to_json(const std::vector<pool_event>& events);

}  // namespace troupe::fleet
