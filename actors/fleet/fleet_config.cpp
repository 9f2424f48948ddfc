#include "actors/fleet/fleet_config.hpp"

#include <caf/config_option_adder.hpp>
#include <caf/config_value.hpp>
#include <limits>

#include "runtime/services/config/settings_reader.hpp"

namespace troupe::fleet {

namespace {

bool valid_pool_name(const std::string& name) {
  if (name.empty() || name.size() > 40) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      return false;
  return std::isalnum(static_cast<unsigned char>(name.front())) != 0;
}

}  // namespace

void declare_fleet_options(node_config& cfg, fleet_settings& s) {
  cfg.section("fleet")
      .add(s.creation_concurrency, "creation-concurrency",
           "provider calls in flight per pool, at most (the adaptive limit's ceiling)")
      .add(s.creation_timeout, "creation-timeout", "timeout of one provider call")
      .add(s.adaptive, "adaptive", "adapt concurrency to the provider's capacity")
      .add(s.sequential, "sequential", "create one runner at a time (the old behaviour)")
      .add(s.max_attempts, "max-attempts", "tries per runner before it counts as failed")
      .add(s.backoff_base, "backoff-base", "first retry waits up to this long")
      .add(s.backoff_cap, "backoff-cap", "retries wait at most this long")
      .add(s.breaker_threshold, "breaker-threshold",
           "consecutive failures that open the breaker")
      .add(s.breaker_cooldown, "breaker-cooldown",
           "how long an open breaker waits to probe")
      .add(s.webhook_secret_file, "webhook-secret-file",
           "file holding the GitHub webhook secret; empty = webhooks refused");
  cfg.dynamic_section("fleet.pools");
}

status check_fleet_settings(const node_config& cfg, const fleet_settings& s) {
  auto bad = [&](const std::string& key, const std::string& expected) {
    return status::error(cfg.origin(key) + ": key '" + key + "' expects " + expected);
  };
  if (s.creation_concurrency < 1 || s.creation_concurrency > 10000)
    return bad("fleet.creation-concurrency", "1..10000");
  if (s.creation_timeout.count() <= 0)
    return bad("fleet.creation-timeout", "a positive duration");
  if (s.max_attempts < 1 || s.max_attempts > 100)
    return bad("fleet.max-attempts", "1..100");
  if (s.backoff_base.count() <= 0)
    return bad("fleet.backoff-base", "a positive duration");
  if (s.backoff_cap < s.backoff_base)
    return bad("fleet.backoff-cap", "at least backoff-base");
  if (s.breaker_threshold < 1) return bad("fleet.breaker-threshold", "at least 1");
  if (s.breaker_cooldown.count() <= 0)
    return bad("fleet.breaker-cooldown", "a positive duration");
  return status::ok();
}

std::size_t local_creator_count(const pool_config& p) {
  if (p.local_creators) return *p.local_creators;
  return p.sequential ? 1 : p.creation_concurrency;
}

status check_pool(const pool_config& p) {
  auto bad = [&](const std::string& what) {
    return status::error("pool '" + p.name + "': " + what);
  };
  if (!valid_pool_name(p.name))
    return status::error(
        "pool name '" + p.name +
        "' must be 1-40 letters, digits, '-' or '_', starting with a letter or digit");
  if (p.min > p.max)
    return bad("min (" + std::to_string(p.min) + ") exceeds max (" +
               std::to_string(p.max) + ")");
  if (p.desired < p.min || p.desired > p.max)
    return bad("desired " + std::to_string(p.desired) + " is outside [min, max] = [" +
               std::to_string(p.min) + ", " + std::to_string(p.max) + "]");
  if (p.max > 100000) return bad("max above 100000");
  if (p.provider != "process" && p.provider != "kubernetes" && p.provider != "sim")
    return bad("provider must be process, kubernetes or sim, not '" + p.provider + "'");
  if (p.provider == "process" && p.command.empty())
    return bad("a process pool needs a command");
  if (p.provider == "kubernetes" && (p.api_server.empty() || p.resource_path.empty()))
    return bad("a kubernetes pool needs api-server and resource-path");
  if (p.creation_concurrency < 1 || p.creation_concurrency > 10000)
    return bad("creation-concurrency must be 1..10000");
  if (p.creation_timeout.count() <= 0) return bad("creation-timeout must be positive");
  if (p.sim_error_rate < 0 || p.sim_error_rate >= 1)
    return bad("sim-error-rate must be in [0, 1)");
  if (p.sim_rate < 0) return bad("sim-rate must not be negative");
  if (p.local_creators && *p.local_creators > 10000)
    return bad("local-creators must be 0..10000");
  if (p.worker_creators < 1 || p.worker_creators > 1000)
    return bad("worker-creators must be 1..1000");
  for (auto& l : p.node_labels)
    if (l.empty()) return bad("node-labels must not hold an empty label");
  return status::ok();
}

result<std::vector<pool_config>> read_pools(const node_config& cfg,
                                            const fleet_settings& defaults) {
  std::vector<pool_config> pools;
  auto pools_dict = dynamic_entries(cfg, "fleet.pools", "one map per pool");
  if (!pools_dict) return pools_dict.error();
  if (*pools_dict == nullptr) return pools;
  for (auto& [name, value] : **pools_dict) {
    auto prefix = "fleet.pools." + name;
    auto* dict = caf::get_if<caf::settings>(&value);
    if (dict == nullptr)
      return status::error(cfg.origin(prefix) + ": pool '" + name +
                           "' must be a map: " + name + "={ min=0 max=10 ... }");
    pool_config p;
    p.name = name;
    p.creation_concurrency = defaults.creation_concurrency;
    p.creation_timeout = defaults.creation_timeout;
    p.adaptive = defaults.adaptive;
    p.sequential = defaults.sequential;
    settings_reader r(cfg, prefix, *dict);
    r.get("min", p.min);
    r.get("max", p.max);
    r.get("desired", p.desired);
    r.get("labels", p.labels);
    r.get("provider", p.provider);
    r.get("command", p.command);
    r.get("api-server", p.api_server);
    r.get("resource-path", p.resource_path);
    r.get("api-version", p.api_version);
    r.get("kind", p.kind);
    r.get("token-file", p.token_file);
    r.get("ca-file", p.ca_file);
    r.get("object-template", p.object_template);
    r.get("sim-latency", p.sim_latency);
    r.get("sim-jitter", p.sim_jitter);
    r.get("sim-rate", p.sim_rate);
    r.get("sim-error-rate", p.sim_error_rate);
    r.get("sim-quota", p.sim_quota);
    r.get("creation-concurrency", p.creation_concurrency);
    r.get("creation-timeout", p.creation_timeout);
    r.get("adaptive", p.adaptive);
    r.get("sequential", p.sequential);
    r.get("node-labels", p.node_labels);
    constexpr auto unset = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t local_creators = unset;
    r.get("local-creators", local_creators);
    if (local_creators != unset) p.local_creators = local_creators;
    r.get("worker-creators", p.worker_creators);
    if (auto st = r.finish(); !st) return st;
    if (p.desired < p.min) p.desired = p.min;
    if (auto st = check_pool(p); !st)
      return status::error(cfg.origin(prefix) + ": " + st.message());
    pools.push_back(std::move(p));
  }
  return pools;
}

}  // namespace troupe::fleet
