#include "messages/registry.hpp"

#include "messages/errors.hpp"
#include "messages/fleet.hpp"
#include "messages/node.hpp"
#include "messages/supervisor.hpp"
#include "messages/workflow.hpp"

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
  cfg.add_message_type<json>("troupe::json");
  cfg.add_message_type<run_request>("troupe::run_request");
  cfg.add_message_type<run_task_status>("troupe::run_task_status");
  cfg.add_message_type<std::vector<run_task_status>>("std::vector<troupe::run_task_status>");
  cfg.add_message_type<run_status>("troupe::run_status");
  cfg.add_message_type<std::vector<run_status>>("std::vector<troupe::run_status>");
  cfg.add_message_type<action_request>("troupe::action_request");
  cfg.add_message_type<action_reply>("troupe::action_reply");
  cfg.add_message_type<task_report>("troupe::task_report");
  add_error_category(cfg);
}

}  // namespace troupe
