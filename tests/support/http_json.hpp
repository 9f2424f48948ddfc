// Polling a node's JSON endpoints, for integration tests.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "runtime/base/json/json.hpp"

namespace troupe::testing {

// GET `path` as JSON; fails the test on any answer but 200.
json get_json(const std::string& http, const std::string& path);

// Asks GET `path` until `done(body)` holds and returns that body; fails the
// test after `limit`, with the last answer and, when given, `context()` (for
// example a node's log). Between two asks it waits on the route's change
// feed, a long poll (`?since=<version>`, answered at the next change): the
// route's own for a pool, a run, bench's status and the cluster view,
// bench's status for bench's other routes. A route with no feed (the node's
// clock, a simulator's) is asked every 100 ms.
json await_json(const std::string& http, const std::string& path,
                const std::function<bool(const json&)>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(30),
                const std::function<std::string()>& context = {});

// The value of the first sample in Prometheus text `text` whose line starts
// with `prefix` (a name, with its labels when it has any, and the space
// before the value), or -1 when there is none.
double metric_sample(const std::string& text, const std::string& prefix);

// Asks GET /metrics until the sample `prefix` (as above) satisfies `done`
// and returns its value; fails the test after `limit`. Between two asks it
// waits on bench's status feed (a long poll, answered at its next change or
// after 10 s): for bench's metrics, which change with bench's work.
double await_bench_metric(const std::string& http, const std::string& prefix,
                          const std::function<bool(double)>& done,
                          std::chrono::milliseconds limit = std::chrono::seconds(30));

// Waits until bench has restored its state (status "ready"), after which
// submissions are taken instead of answered 503.
void await_bench_ready(const std::string& http);

}  // namespace troupe::testing
