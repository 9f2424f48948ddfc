// What the collector does after a run is appended: asks the history actor to
// analyse the run's series (it records new steps in bench_regressions) and
// raises an alert for each new step: a log line, the metric
// troupe_bench_regressions_total{platform,benchmark,kind}, and, with
// [bench] alert-webhook, a POST of the step as JSON (its failure is logged,
// not retried). Then it asks for the history export.
#pragma once

#include <cstdint>

#include "actors/bench/bench_context.hpp"
#include "actors/bench/collector_state.hpp"
#include "messages/bench.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::bench {

void after_append(collector_impl::pointer self, const bench_context& ctx,
                  std::uint64_t run);

// The JSON of a step, as the API and the alert webhook show it.
json to_json(const bench_regression& r);

}  // namespace troupe::bench
