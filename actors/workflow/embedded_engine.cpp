#include "actors/workflow/embedded_engine.hpp"

#include <caf/all.hpp>

#include "actors/workflow/action_core.hpp"
#include "actors/workflow/action_pool.hpp"
#include "actors/workflow/engine_names.hpp"
#include "messages/errors.hpp"
#include "messages/registry.hpp"
#include "runtime/services/config/scheduler_defaults.hpp"

namespace troupe::workflow {

embedded_engine::embedded_engine(embedded_options options) {
  cfg_ = std::make_unique<caf::actor_system_config>();
  add_message_types(*cfg_);
  if (options.scheduler_threads > 0)
    cfg_->set("scheduler.max-threads",
              static_cast<std::int64_t>(options.scheduler_threads));
  apply_scheduler_defaults(cfg_->content);
  sys_ = std::make_unique<caf::actor_system>(*cfg_);
  processes_ = std::make_unique<process_service>();
  actions_ = std::make_shared<action_registry>(core_actions(options.workflows_dir));
  action_pool_options po;
  po.runners = options.runners;
  po.actions = actions_;
  po.processes = processes_.get();
  pool_ = spawn_action_pool(*sys_, std::move(po));
  engine_services services;
  services.db = options.db;
  services.now = options.now;
  services.pool = pool_;
  services.actions = actions_;
  auto metrics = workflow_metrics::make(options.metrics);
  metrics->dispatch_latency_sink = std::move(options.dispatch_latency_sink);
  services.metrics = std::move(metrics);
  services.call_ids = std::make_shared<std::atomic<std::uint64_t>>(1);
  services.default_concurrency = options.default_concurrency;
  service_ = spawn_workflow_service(*sys_, services, {1000000, options.resume});
  actor_directory::of(*sys_).put(workflow_service_key, service_);
}

embedded_engine::~embedded_engine() {
  caf::anon_send_exit(service_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(pool_, caf::exit_reason::user_shutdown);
  processes_->shutdown(std::chrono::milliseconds(2000));
  // Workflow actors still running end with the system: it waits for them,
  // so cancel nothing here; callers wait() for what they started.
  sys_.reset();
}

template <class... Ts>
result<run_status> embedded_engine::ask(Ts... xs) {
  caf::scoped_actor self{*sys_};
  result<run_status> out = status::error("no reply");
  self->request(service_, caf::infinite, std::move(xs)...)
      .receive([&](run_status& s) { out = std::move(s); },
               [&](caf::error& err) {
                 auto text = error_context(err);
                 out = status::error(text.empty() ? sys_->render(err) : text);
               });
  return out;
}

result<run_status> embedded_engine::start(run_request request) {
  return ask(std::move(request));
}

result<run_status> embedded_engine::status(const std::string& id, std::uint64_t since) {
  if (since == 0) return ask(status_atom::value, id);
  return ask(status_atom::value, id, since);
}

result<run_status> embedded_engine::wait(const std::string& id) {
  return ask(wait_atom::value, id);
}
result<run_status> embedded_engine::cancel(const std::string& id) {
  return ask(cancel_atom::value, id);
}
result<run_status> embedded_engine::pause(const std::string& id) {
  return ask(pause_atom::value, id);
}
result<run_status> embedded_engine::resume(const std::string& id) {
  return ask(resume_atom::value, id);
}

}  // namespace troupe::workflow
