// The state of the collector actor, shared by collector_actor.cpp (protocol,
// appends) and collector_alerts.cpp (what follows an append). Internal.
#pragma once

#include <caf/all.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "actors/bench/artifact.hpp"
#include "actors/bench/bench_context.hpp"
#include "actors/bench/bench_metrics.hpp"
#include "actors/common/durable_writes.hpp"
#include "messages/bench.hpp"

namespace troupe::bench {

// The collector's internal messages: types of this file, not in the type
// registry (no other node can send one: it does not deserialize) and not in
// bench_collector_actor (no other actor holds a handle that takes them).
namespace collector_msg {

// Run `run`'s collector-deadline passed: append it with what it has.
struct deadline_due {
  std::uint64_t run = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deadline_due& x) {
  return f(caf::meta::type_name("collector::deadline_due"), x.run);
}

}  // namespace collector_msg

// The collector actor's own type: its interface and its internal messages.
using collector_impl =
    bench_collector_actor::extend<caf::reacts_to<durable_written>,
                                  caf::reacts_to<collector_msg::deadline_due>>;

// A run being collected.
struct collecting {
  std::map<std::string, artifact> artifacts;  // by platform
  std::map<std::string, std::string>
      invalid;  // platform -> why its document was unusable
  bool appending = false;
};

// An artifact that arrived before the restore was done.
struct held_artifact {
  bench_artifact msg;
  caf::typed_response_promise<bool> answer;
};

struct collector_state {
  bench_context ctx;
  bench_metrics metrics;
  bool restored = false;
  std::map<std::uint64_t, collecting> runs;
  std::vector<bench_job> held_dispatches;
  std::vector<held_artifact> held_artifacts;
  // Artifacts and appends being made durable: platforms wait for the
  // former's answer.
  durable_writes writes;
  static inline const char* name = "troupe.bench.collector";
};

using collector_self = collector_impl::stateful_pointer<collector_state>;

}  // namespace troupe::bench
