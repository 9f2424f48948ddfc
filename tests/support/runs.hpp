// Workflow runs through a node's HTTP API, for integration tests.
#pragma once

#include <string>

#include "runtime/json.hpp"
#include "tests/support/http_client.hpp"

namespace troupe::testing {

// The reply's body as JSON; fails the test when it is not JSON.
json body_of(const http_reply& r);

// POSTs `body`, retrying while the node answers 503 (still starting).
http_reply post_until_up(const std::string& http, const std::string& target, const std::string& body);

// Polls GET /api/v1/runs/<id> with long polls until the run is final
// (neither running nor paused) and returns its status; fails the test after
// about 600 polls. 503s (engine restarting) are retried.
json await_final(const std::string& http, const std::string& id);

}  // namespace troupe::testing
