#include "messages/supervisor.hpp"

namespace troupe {

const char* to_string(restart_policy x) {
  switch (x) {
    case restart_policy::permanent:
      return "permanent";
    case restart_policy::transient:
      return "transient";
    case restart_policy::temporary:
      return "temporary";
  }
  return "?";
}

const char* to_string(restart_strategy x) {
  return x == restart_strategy::one_for_one ? "one_for_one" : "one_for_all";
}

const char* to_string(child_type x) {
  return x == child_type::supervisor ? "supervisor" : "worker";
}

const char* to_string(child_status x) {
  switch (x) {
    case child_status::running:
      return "running";
    case child_status::stopping:
      return "stopping";
    case child_status::stopped:
      return "stopped";
    case child_status::waiting:
      return "waiting";
  }
  return "?";
}

const char* to_string(supervisor_status x) {
  switch (x) {
    case supervisor_status::running:
      return "running";
    case supervisor_status::restarting:
      return "restarting";
    case supervisor_status::shutting_down:
      return "shutting_down";
    case supervisor_status::down:
      return "down";
  }
  return "?";
}

}  // namespace troupe
