// Supervision's protocol: how a supervisor reports itself and its children
// (GET /api/v1/node shows these) and takes dynamic children. The behaviour is
// actors/supervisor/supervisor.hpp's.
#pragma once

#include <caf/actor.hpp>
#include <caf/message.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/atoms.hpp"

namespace troupe {

// When a child is restarted: always, only after an abnormal exit, never.
enum class restart_policy : std::uint8_t { permanent, transient, temporary };
// one_for_one restarts the child that died; one_for_all restarts them all.
enum class restart_strategy : std::uint8_t { one_for_one, one_for_all };
enum class child_type : std::uint8_t { worker, supervisor };
// waiting: it failed for a resource and waits to be restarted.
enum class child_status : std::uint8_t { running, stopping, stopped, waiting };
// down: it did not answer (the node actor's report of a root that is gone).
enum class supervisor_status : std::uint8_t { running, restarting, shutting_down, down };

// Their names in reports, logs and JSON ("one_for_one", "waiting", ...).
const char* to_string(restart_policy x);
const char* to_string(restart_strategy x);
const char* to_string(child_type x);
const char* to_string(child_status x);
const char* to_string(supervisor_status x);

// One child of a supervisor.
struct child_report {
  std::string id;
  child_type type = child_type::worker;
  restart_policy restart = restart_policy::permanent;
  child_status status = child_status::stopped;
  std::uint32_t restarts = 0;  // restarts since the supervisor started
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_report& x) {
  return f(caf::meta::type_name("troupe::child_report"), x.id, x.type, x.restart,
           x.status, x.restarts);
}

// A supervisor and its children, in start order, with the reports of the
// children that are supervisors themselves (the subtree).
struct supervisor_report {
  std::string name;
  restart_strategy strategy = restart_strategy::one_for_one;
  supervisor_status status = supervisor_status::running;
  std::uint32_t intensity = 0;  // restarts allowed within period
  std::int64_t period_ms = 0;
  std::uint32_t recent_restarts = 0;  // restarts within the current period
  std::vector<child_report> children;
  std::vector<supervisor_report> subtree;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervisor_report& x) {
  return f(caf::meta::type_name("troupe::supervisor_report"), x.name, x.strategy,
           x.status, x.intensity, x.period_ms, x.recent_restarts, x.children, x.subtree);
}

// A supervisor:
//   (describe_atom) -> supervisor_report
//       itself and its children, with the reports of the children that are
//       supervisors (the subtree; one that does not answer within 2 s is left
//       out)
//   (start_child_atom, std::string id, caf::message args) -> caf::actor
//       starts a dynamic child from the supervisor's template (the handle is
//       for its lifetime); invalid_argument without a template, for an id in
//       use or a failed start; shutting_down while it shuts down
//   (stop_child_atom, std::string id)
//       stops the child for good (no restart); not_found for an unknown id
using supervisor_actor = caf::typed_actor<
    caf::replies_to<describe_atom>::with<supervisor_report>,
    caf::replies_to<start_child_atom, std::string, caf::message>::with<caf::actor>,
    caf::reacts_to<stop_child_atom, std::string>>;

}  // namespace troupe
