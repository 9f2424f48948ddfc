#include "messages/registry.hpp"

#include "messages/errors.hpp"
#include "messages/fleet.hpp"
#include "messages/node.hpp"
#include "messages/supervisor.hpp"

namespace troupe {

void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<child_report>("troupe::child_report");
  cfg.add_message_type<supervisor_report>("troupe::supervisor_report");
  cfg.add_message_type<node_description>("troupe::node_description");
  cfg.add_message_type<node_actor>("troupe::node_actor");
  cfg.add_message_type<pool_event>("troupe::pool_event");
  cfg.add_message_type<scale_report>("troupe::scale_report");
  cfg.add_message_type<pool_status>("troupe::pool_status");
  cfg.add_message_type<fleet_job>("troupe::fleet_job");
  cfg.add_message_type<fleet_job_result>("troupe::fleet_job_result");
  cfg.add_message_type<job_event>("troupe::job_event");
  cfg.add_message_type<runner_record>("troupe::runner_record");
  add_error_category(cfg);
}

}  // namespace troupe
