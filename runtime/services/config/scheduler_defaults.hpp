// troupe's defaults for CAF's scheduler, for every actor system troupe makes
// (a node's, the embedded engine's). A value the configuration sets wins.
//
// work-stealing.moderate-poll-attempts = 10 (CAF: 500). After each job a
// worker whose queue is empty polls 100 times, then moderate-poll-attempts
// times 50 us apart, before it sleeps on a condition variable that an
// enqueue wakes. With 500 those polls are ~30 ms of wake-ups after every
// message: a coordinator with members used 17% of a core whatever their
// number, and a fleet runner 25-50% more CPU; with 10 a worker sleeps after
// about a millisecond (perf/RESULTS.md, "The scheduler's polling").
#pragma once

#include <caf/settings.hpp>

namespace troupe {

// Puts troupe's scheduler defaults into `content` where it has no value.
void apply_scheduler_defaults(caf::settings& content);

}  // namespace troupe
