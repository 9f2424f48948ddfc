// Messages about supervision: how a supervisor reports itself and its children
// (GET /api/v1/node shows these). See actors/supervisor/supervisor.hpp for the behaviour.
#pragma once

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace troupe {

// One child of a supervisor.
struct child_report {
  std::string id;
  std::string type;     // worker | supervisor
  std::string restart;  // permanent | transient | temporary
  std::string status;   // running | stopping | stopped
  std::uint32_t restarts = 0;  // restarts since the supervisor started
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_report& x) {
  return f(caf::meta::type_name("troupe::child_report"), x.id, x.type, x.restart, x.status,
           x.restarts);
}

// A supervisor and its children, in start order, with the reports of the
// children that are supervisors themselves (the subtree).
struct supervisor_report {
  std::string name;
  std::string strategy;  // one_for_one | one_for_all
  std::string status;    // running | restarting | shutting_down
  std::uint32_t intensity = 0;       // restarts allowed within period
  std::int64_t period_ms = 0;
  std::uint32_t recent_restarts = 0;  // restarts within the current period
  std::vector<child_report> children;
  std::vector<supervisor_report> subtree;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervisor_report& x) {
  return f(caf::meta::type_name("troupe::supervisor_report"), x.name, x.strategy, x.status,
           x.intensity, x.period_ms, x.recent_restarts, x.children, x.subtree);
}

}  // namespace troupe
