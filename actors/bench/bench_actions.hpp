// bench_actions: what bench adds to the workflow engine's action registry.
//
//   bench.submit  {"commits": [{"sha", "parent", "time", "message", "branch"}, ...]}
//     hands commits to the bench scheduler (as POST /api/v1/bench/commits,
//     same validation); result: {"accepted", "duplicates", "runs",
//     "queue_depth"}. Fails when the intake is full or bench is starting.
#pragma once

#include <memory>

#include "actors/bench/bench_context.hpp"
#include "actors/common/action.hpp"

namespace troupe::bench {

std::shared_ptr<workflow::action> make_submit_action();

}  // namespace troupe::bench
