// troupe's error codes as CAF errors (category "troupe"), so that failures
// travel in replies and exit reasons across nodes and render readably.
#pragma once

#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>
#include <cstdint>
#include <string>

#include "runtime/base/status.hpp"

namespace troupe {

enum class errc : std::uint8_t {
  // A supervisor exceeded its restart intensity and gave up (escalation).
  supervisor_gave_up = 1,
  // A queue that accepts outside input is full; retry later.
  queue_full,
  // The request names something that does not exist.
  not_found,
  // The request is malformed; the context says where.
  invalid_argument,
  // The service is shutting down and takes no new work.
  shutting_down,
  // The sender is not a member of the cluster (it did not join, or failed
  // the join's challenge).
  not_a_member,
  // The node's store cannot write (disk full, I/O error, read-only file
  // system); retry once the operator fixed it. An actor that exits with it
  // is restarted after a backoff that does not count against its
  // supervisor's restart intensity (actors/supervisor/supervisor.hpp).
  storage_unavailable,
  // The request is well formed but contradicts the current state of what it
  // names (an action on a run that has ended).
  conflict,
};

std::string to_string(errc x);

caf::error make_error(errc x);
caf::error make_error(errc x, std::string context);

// Registers the "troupe" error category's renderer.
void add_error_category(caf::actor_system_config& cfg);

// The context text of a troupe error (what make_error was given), or "".
std::string error_context(const caf::error& err);

// True when `err` is troupe error `x`.
bool is(const caf::error& err, errc x);

// The CAF error for a store outcome: none when `s` is ok,
// storage_unavailable for an io_error (a resource failed), `otherwise` for
// any other failure; the context is `what` followed by the store's message.
caf::error from_status(const status& s, errc otherwise, const std::string& what = "");

}  // namespace troupe
