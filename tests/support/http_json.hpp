// Polling a node's JSON endpoints, for integration tests.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "runtime/base/json/json.hpp"

namespace troupe::testing {

// GET `path` as JSON, retrying for up to 10 s while the node answers 503
// (its subsystem is still starting); fails the test on any other non-200.
json get_json(const std::string& http, const std::string& path);

// Asks GET `path` until `done(body)` holds and returns that body; fails the
// test after `limit`, with the last answer and, when given, `context()` (for
// example a node's log). A pool or a run (/api/v1/pools/<p>, /api/v1/runs/<id>)
// is asked again with `?since=<version>`, a long poll answered at its next
// change; other routes every 100 ms.
json await_json(const std::string& http, const std::string& path,
                const std::function<bool(const json&)>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(30),
                const std::function<std::string()>& context = {});

// The value of the first sample in Prometheus text `text` whose line starts
// with `prefix` (a name, with its labels when it has any, and the space
// before the value), or -1 when there is none.
double metric_sample(const std::string& text, const std::string& prefix);

// Polls GET /metrics every 100 ms until the sample `prefix` (as above)
// satisfies `done` and returns its value; fails the test after `limit`.
double await_metric(const std::string& http, const std::string& prefix,
                    const std::function<bool(double)>& done,
                    std::chrono::milliseconds limit = std::chrono::seconds(30));

// Waits until bench has restored its state (status "ready"), after which
// submissions are taken instead of answered 503.
void await_bench_ready(const std::string& http);

}  // namespace troupe::testing
