#include "actors/fleet/provider_factory.hpp"

#include <algorithm>

#include "actors/fleet/provider_kubernetes.hpp"
#include "actors/fleet/provider_process.hpp"
#include "actors/fleet/provider_sim.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::fleet {

result<std::shared_ptr<runner_provider>> make_provider(const pool_config& p,
                                                       process_service& processes) {
  if (p.provider == "sim") {
    sim_options o;
    o.latency = p.sim_latency;
    o.jitter = p.sim_jitter;
    o.rate = p.sim_rate;
    o.error_rate = p.sim_error_rate;
    o.quota = p.sim_quota;
    return std::shared_ptr<runner_provider>(std::make_shared<sim_provider>(o));
  }
  if (p.provider == "process")
    return std::shared_ptr<runner_provider>(
        std::make_shared<process_provider>(processes, p.command));
  if (p.provider == "kubernetes") {
    kubernetes_config kc;
    kc.api_server = p.api_server;
    kc.resource_path = p.resource_path;
    kc.api_version = p.api_version;
    kc.kind = p.kind;
    kc.token_file = p.token_file;
    kc.ca_file = p.ca_file;
    kc.request_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(p.creation_timeout);
    kc.max_connections = std::max<std::size_t>(p.creation_concurrency, 16);
    if (!p.object_template.empty()) {
      auto tmpl =
          json::parse(p.object_template, "fleet.pools." + p.name + ".object-template");
      if (!tmpl) return tmpl.error();
      kc.object_template = *tmpl;
    }
    auto kube = kubernetes_provider::make(std::move(kc));
    if (!kube) return status::error("pool " + p.name + ": " + kube.error().message());
    return std::shared_ptr<runner_provider>(*kube);
  }
  return status::error("pool " + p.name + ": provider '" + p.provider +
                       "' is not available");
}

}  // namespace troupe::fleet
