#include "messages/registry.hpp"

#include "messages/bench.hpp"
#include "messages/errors.hpp"
#include "messages/fleet.hpp"
#include "messages/node.hpp"
#include "messages/supervisor.hpp"
#include "messages/workflow.hpp"

namespace troupe {

namespace {

void add_bench_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<bench_commit>("troupe::bench_commit");
  cfg.add_message_type<std::vector<bench_commit>>("std::vector<troupe::bench_commit>");
  cfg.add_message_type<bench_intake>("troupe::bench_intake");
  cfg.add_message_type<bench_job>("troupe::bench_job");
  cfg.add_message_type<bench_artifact>("troupe::bench_artifact");
  cfg.add_message_type<bench_suite_def>("troupe::bench_suite_def");
  cfg.add_message_type<std::vector<bench_suite_def>>(
      "std::vector<troupe::bench_suite_def>");
  cfg.add_message_type<bench_platform_def>("troupe::bench_platform_def");
  cfg.add_message_type<bench_platform_state>("troupe::bench_platform_state");
  cfg.add_message_type<bench_skip>("troupe::bench_skip");
  cfg.add_message_type<bench_status>("troupe::bench_status");
  cfg.add_message_type<bench_window>("troupe::bench_window");
  cfg.add_message_type<bench_run_record>("troupe::bench_run_record");
  cfg.add_message_type<bench_snapshot>("troupe::bench_snapshot");
  cfg.add_message_type<bench_regression>("troupe::bench_regression");
  cfg.add_message_type<std::vector<bench_regression>>(
      "std::vector<troupe::bench_regression>");
  cfg.add_message_type<bench_compare_request>("troupe::bench_compare_request");
  cfg.add_message_type<bench_compare_result>("troupe::bench_compare_result");
  cfg.add_message_type<std::vector<bench_compare_result>>(
      "std::vector<troupe::bench_compare_result>");
  cfg.add_message_type<bench_compare_record>("troupe::bench_compare_record");
  cfg.add_message_type<std::vector<bench_compare_record>>(
      "std::vector<troupe::bench_compare_record>");
}

}  // namespace

void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<child_report>("troupe::child_report");
  cfg.add_message_type<supervisor_report>("troupe::supervisor_report");
  cfg.add_message_type<node_description>("troupe::node_description");
  cfg.add_message_type<node_actor>("troupe::node_actor");
  cfg.add_message_type<member_info>("troupe::member_info");
  cfg.add_message_type<member_load>("troupe::member_load");
  cfg.add_message_type<member_state>("troupe::member_state");
  cfg.add_message_type<std::vector<member_state>>("std::vector<troupe::member_state>");
  cfg.add_message_type<cluster_view>("troupe::cluster_view");
  cfg.add_message_type<pool_event>("troupe::pool_event");
  cfg.add_message_type<scale_report>("troupe::scale_report");
  cfg.add_message_type<pool_status>("troupe::pool_status");
  cfg.add_message_type<fleet_job>("troupe::fleet_job");
  cfg.add_message_type<fleet_job_result>("troupe::fleet_job_result");
  cfg.add_message_type<job_event>("troupe::job_event");
  cfg.add_message_type<runner_record>("troupe::runner_record");
  cfg.add_message_type<pool_placement>("troupe::pool_placement");
  cfg.add_message_type<std::vector<pool_placement>>(
      "std::vector<troupe::pool_placement>");
  cfg.add_message_type<json>("troupe::json");
  cfg.add_message_type<run_request>("troupe::run_request");
  cfg.add_message_type<run_task_status>("troupe::run_task_status");
  cfg.add_message_type<std::vector<run_task_status>>(
      "std::vector<troupe::run_task_status>");
  cfg.add_message_type<run_status>("troupe::run_status");
  cfg.add_message_type<std::vector<run_status>>("std::vector<troupe::run_status>");
  cfg.add_message_type<action_request>("troupe::action_request");
  cfg.add_message_type<action_reply>("troupe::action_reply");
  cfg.add_message_type<kept_reply>("troupe::kept_reply");
  cfg.add_message_type<std::vector<kept_reply>>("std::vector<troupe::kept_reply>");
  cfg.add_message_type<task_report>("troupe::task_report");
  add_bench_message_types(cfg);
  add_error_category(cfg);
}

}  // namespace troupe
