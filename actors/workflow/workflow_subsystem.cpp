#include "actors/workflow/workflow_subsystem.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/supervisor/supervisor.hpp"
#include "actors/workflow/action_core.hpp"
#include "actors/workflow/action_http.hpp"
#include "actors/workflow/action_pool.hpp"
#include "actors/workflow/action_runner.hpp"
#include "actors/workflow/action_workflow.hpp"
#include "actors/workflow/engine_names.hpp"
#include "actors/workflow/workflow_records.hpp"
#include "actors/workflow/workflow_secrets.hpp"
#include "actors/workflow/workflow_service.hpp"

namespace troupe::workflow {

workflow_subsystem::workflow_subsystem()
    : actions_(std::make_shared<action_registry>(core_actions())),
      call_ids_(std::make_shared<std::atomic<std::uint64_t>>(1)),
      keeper_(std::make_shared<reply_keeper>()) {}

void workflow_subsystem::declare(node_config& cfg) {
  cfg.section("workflow")
      .add(settings_.workflows_dir, "workflows-dir",
           "directory of workflow definitions (<name>.json, .yaml or .yml) runnable by "
           "name")
      .add(settings_.action_runners, "action-runners",
           "action calls running at once on the node")
      .add(settings_.default_concurrency, "default-concurrency",
           "with-items items in flight when a task sets no concurrency")
      .add(settings_.max_executions, "max-executions",
           "live executions at most; past it the API answers 429");
  declare_workflow_secrets(cfg);
}

status workflow_subsystem::check(const node_config& cfg) {
  auto bad = [&](const std::string& key, const std::string& expected) {
    return status::error(cfg.origin(key) + ": key '" + key + "' expects " + expected);
  };
  // A coordinator may leave every call to its workers' runners.
  auto fewest = cfg.node.role == "coordinator" ? 0u : 1u;
  if (settings_.action_runners < fewest || settings_.action_runners > 10000)
    return bad("workflow.action-runners",
               fewest == 0 ? "0..10000 on a coordinator" : "1..10000");
  if (settings_.default_concurrency < 1 || settings_.default_concurrency > 1000000)
    return bad("workflow.default-concurrency", "1..1000000");
  if (settings_.max_executions < 1) return bad("workflow.max-executions", "at least 1");
  // core.workflow looks names up in the configured directory.
  actions_->add("core.workflow",
                std::make_shared<workflow_action>(settings_.workflows_dir));
  // core.http's secret_headers name the secrets this node holds.
  auto secrets = read_workflow_secrets(cfg);
  if (!secrets) return secrets.error();
  actions_->add("core.http", std::make_shared<http_action>(std::move(*secrets)));
  return status::ok();
}

std::vector<migration> workflow_subsystem::migrations() const {
  return workflow_migrations();
}

supervisor_actor workflow_subsystem::start(node_services& services) {
  auto actions = std::const_pointer_cast<const action_registry>(actions_);
  auto settings = settings_;
  auto call_ids = call_ids_;
  auto metrics = workflow_metrics::make(services.metrics);
  auto* db = services.db;
  auto* processes = services.processes;
  auto* members = services.members;
  auto* registry = services.metrics;
  auto labels = services.cfg->cluster.labels;
  // The pool and the service restart together: the service's workflow
  // actors hold the pool's handle.
  child_spec engine;
  engine.id = "engine";
  engine.start = [=](caf::actor_system& sys, const caf::message&) {
    auto pool = spawn_action_pool(
        sys, {settings.action_runners, actions, processes, labels, members, registry});
    // Worker nodes' runners find the pool by this name.
    actor_directory::of(sys).put(action_pool_key, pool, reach::cluster);
    engine_services es;
    es.db = db;
    es.pool = pool;
    es.actions = actions;
    es.metrics = metrics;
    es.call_ids = call_ids;
    es.default_concurrency = settings.default_concurrency;
    auto service = spawn_workflow_service(sys, es, {settings.max_executions, true});
    // One fate: the pool ends with the service, and a pool that dies takes
    // the service with it so that the supervisor restarts both.
    service->attach_functor([pool](const caf::error&) {
      caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
    });
    pool->attach_functor([service](const caf::error& reason) {
      if (reason && reason != caf::exit_reason::user_shutdown)
        caf::anon_send_exit(service, caf::exit_reason::kill);
    });
    actor_directory::of(sys).put(workflow_service_key, service);
    return caf::actor_cast<caf::actor>(service);
  };
  supervisor_flags flags;
  flags.observer = services.supervision;
  flags.name = "workflow";
  flags.intensity = 5;
  flags.period = std::chrono::seconds(30);
  return spawn_supervisor(*services.sys, flags, {std::move(engine)});
}

std::vector<std::string> workflow_subsystem::cluster_lookups() const {
  return {action_pool_key.name};
}

std::vector<caf::actor> workflow_subsystem::attach(const cluster_session& session,
                                                   node_services& services) {
  if (!session.has_role("runner")) return {};
  auto pool = caf::actor_cast<action_pool_pull_actor>(
      session.lookup(caf::atom_from_string(action_pool_key.name)));
  if (!pool) return {};
  // Replies kept from before the link was lost go first, so that the calls
  // they answer are not handed to the runners below.
  if (keeper_->size() > 0) {
    caf::scoped_actor self{*services.sys};
    self->request(pool, std::chrono::seconds(10), replay_atom::value, keeper_->all())
        .receive(
            [this](std::size_t n) {
              // The coordinator holds them now; sending them again on every
              // join would only grow its table.
              keeper_->clear();
              spdlog::info("workflow: handed {} kept replies to the coordinator", n);
            },
            [&](caf::error& err) {
              spdlog::warn("workflow: the coordinator did not take kept replies: {}",
                           services.sys->render(err));
            });
  }
  std::vector<caf::actor> runners;
  auto actions = std::const_pointer_cast<const action_registry>(actions_);
  for (std::size_t i = 0; i < settings_.action_runners; ++i)
    runners.push_back(caf::actor_cast<caf::actor>(spawn_remote_runner(
        *services.sys, {pool, actions, services.processes, session.work, keeper_})));
  return runners;
}

std::vector<readiness_name> workflow_subsystem::readiness(const node_config&) const {
  return {{workflow_service_key.name, "workflow service"},
          {action_pool_key.name, "workflow action pool"}};
}

}  // namespace troupe::workflow
