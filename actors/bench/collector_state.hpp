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
#include "messages/bench.hpp"

namespace troupe::bench {

// The collector's internal messages: types of this file, not in the type
// registry (no other node can send one: it does not deserialize) and not in
// bench_collector_actor (no other actor holds a handle that takes them).
namespace collector_msg {

// The store's write of an artifact ended: durable (`err` is none), or not.
// The actor answers its platform (answer `answer` of collector_state) and
// collects it; a store callback runs on the store's thread, where a
// response promise must not be delivered.
struct artifact_saved {
  bench_artifact artifact;
  std::uint64_t answer = 0;
  caf::error err;
};
// Run `run`'s collector-deadline passed: append it with what it has.
struct deadline_due {
  std::uint64_t run = 0;
};
// Run `run`'s append is durable, or failed with `err`.
struct run_appended {
  std::uint64_t run = 0;
  caf::error err;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, artifact_saved& x) {
  return f(caf::meta::type_name("collector::artifact_saved"), x.artifact, x.answer,
           x.err);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deadline_due& x) {
  return f(caf::meta::type_name("collector::deadline_due"), x.run);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_appended& x) {
  return f(caf::meta::type_name("collector::run_appended"), x.run, x.err);
}

}  // namespace collector_msg

// The collector actor's own type: its interface and its internal messages.
using collector_impl =
    bench_collector_actor::extend<caf::reacts_to<collector_msg::artifact_saved>,
                                  caf::reacts_to<collector_msg::deadline_due>,
                                  caf::reacts_to<collector_msg::run_appended>>;

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
  // Platforms waiting for their artifact to be durable, by answer number.
  std::map<std::uint64_t, caf::typed_response_promise<bool>> answers;
  std::uint64_t next_answer = 0;
  static inline const char* name = "troupe.bench.collector";
};

using collector_self = collector_impl::stateful_pointer<collector_state>;

}  // namespace troupe::bench
