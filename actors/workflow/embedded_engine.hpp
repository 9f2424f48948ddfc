// embedded_engine: the workflow engine in a process of its own making — an
// actor system, a process service, the action pool and the workflow service
// — for `troupe run`, tests and benchmarks. A node assembles the same parts
// under its supervisor instead (workflow_subsystem).
//
// Calls block the calling thread (never call them from an actor).
#pragma once

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <functional>
#include <memory>

#include "actors/workflow/workflow_service.hpp"
#include "messages/workflow.hpp"
#include "runtime/services/process/process_service.hpp"

namespace troupe::workflow {

struct embedded_options {
  std::size_t runners = 16;
  std::size_t default_concurrency = 10;
  store* db = nullptr;  // nullptr: no persistence
  bool resume = true;   // with a store: resume stored executions
  metrics_registry* metrics = nullptr;
  std::size_t scheduler_threads = 0;  // 0: CAF's default
  std::string workflows_dir;          // for core.workflow by name
  // Gets each dispatch latency as a sample (workflow_metrics::dispatch_latency_sink).
  std::function<void(double seconds)> dispatch_latency_sink;
  // The engine's wall clock (engine_services::now); tests set their own.
  wall_clock now = [] { return std::chrono::system_clock::now(); };
};

class embedded_engine {
 public:
  explicit embedded_engine(embedded_options options = {});
  ~embedded_engine();

  // Starts an execution; the status once its first step is stored. Errors
  // are the service's (invalid_argument with the definition's error...).
  result<run_status> start(run_request request);
  // The execution's status; with `since`, waits until its version passes it.
  result<run_status> status(const std::string& id, std::uint64_t since = 0);
  // Waits until the execution ended.
  result<run_status> wait(const std::string& id);
  result<run_status> cancel(const std::string& id);
  result<run_status> pause(const std::string& id);
  result<run_status> resume(const std::string& id);

  caf::actor_system& system() { return *sys_; }
  const workflow_service_actor& service() const { return service_; }
  const std::shared_ptr<action_registry>& actions() const { return actions_; }

 private:
  template <class... Ts>
  result<run_status> ask(Ts... xs);

  std::unique_ptr<caf::actor_system_config> cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::unique_ptr<process_service> processes_;
  std::shared_ptr<action_registry> actions_;
  action_pool_actor pool_;
  workflow_service_actor service_;
};

}  // namespace troupe::workflow
