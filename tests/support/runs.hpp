// Workflow runs through a node's HTTP API, for integration tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/base/json/json.hpp"
#include "tests/support/http_client.hpp"

namespace troupe::testing {

// The reply's body as JSON; fails the test when it is not JSON.
json body_of(const http_reply& r);

// Polls GET /api/v1/runs/<id> with long polls until the run is final
// (neither running nor paused) and returns its status; fails the test after
// about 600 polls.
json await_final(const std::string& http, const std::string& id);

// A POST /api/v1/runs body: one with-items core.shell task "fan" over items
// 1..`items` (concurrency 4), each `sleep <seconds>; echo $PPID <item>` (so
// its output names the node that ran it); `task_fields` is inserted into
// the task as written (`"worker_selector": {...}, `). Output "out": the
// items' results in item order.
std::string fan_out(int items, const std::string& seconds,
                    const std::string& task_fields = "");

// POSTs `doc` and returns the new run's id; fails the test
// unless it is 201.
std::string start_run(const std::string& http, const std::string& doc);

// The (pid, item) each output line of a fan_out run names, in item order.
std::vector<std::pair<int, int>> ran(const json& run);

}  // namespace troupe::testing
