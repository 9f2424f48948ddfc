#include "actors/fleet/placement.hpp"

namespace troupe::fleet {

namespace {

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs) out += (out.empty() ? "" : ", ") + x;
  return out;
}

}  // namespace

const char* placement_role(const std::string& provider) {
  return provider == "process" ? "runner" : "creator";
}

bool runners_live_on_node(const std::string& provider) {
  return provider != "kubernetes";
}

std::string placement_refusal(const pool_config& pool, const member_info& member) {
  std::string role = placement_role(pool.provider);
  if (!has_role(member, role))
    return "pool '" + pool.name + "' (" + pool.provider + ") needs a member with role '" +
           role + "'; node '" + member.name + "' has [" + join(member.roles) + "]";
  std::vector<std::string> missing;
  for (auto& want : pool.node_labels)
    if (!labels_match(member.labels, {want})) missing.push_back(want);
  if (!missing.empty())
    return "pool '" + pool.name + "' needs node labels [" + join(missing) +
           "] that node '" + member.name + "' lacks";
  return {};
}

pool_placement to_placement(const pool_config& p, pool_pull_actor pull,
                            std::string owner) {
  pool_placement x;
  x.name = p.name;
  x.pool = std::move(pull);
  x.owner = std::move(owner);
  x.provider = p.provider;
  x.labels = p.labels;
  x.node_labels = p.node_labels;
  x.command = p.command;
  x.api_server = p.api_server;
  x.resource_path = p.resource_path;
  x.api_version = p.api_version;
  x.kind = p.kind;
  x.token_file = p.token_file;
  x.ca_file = p.ca_file;
  x.object_template = p.object_template;
  x.sim_latency_ns = p.sim_latency.count();
  x.sim_jitter_ns = p.sim_jitter.count();
  x.sim_rate = p.sim_rate;
  x.sim_error_rate = p.sim_error_rate;
  x.sim_quota = p.sim_quota;
  x.creation_timeout_ns = p.creation_timeout.count();
  x.creation_concurrency = static_cast<std::uint32_t>(p.creation_concurrency);
  x.worker_creators = static_cast<std::uint32_t>(p.worker_creators);
  return x;
}

pool_config from_placement(const pool_placement& x) {
  pool_config p;
  p.name = x.name;
  p.provider = x.provider;
  p.labels = x.labels;
  p.node_labels = x.node_labels;
  p.command = x.command;
  p.api_server = x.api_server;
  p.resource_path = x.resource_path;
  p.api_version = x.api_version;
  p.kind = x.kind;
  p.token_file = x.token_file;
  p.ca_file = x.ca_file;
  p.object_template = x.object_template;
  p.sim_latency = std::chrono::nanoseconds(x.sim_latency_ns);
  p.sim_jitter = std::chrono::nanoseconds(x.sim_jitter_ns);
  p.sim_rate = x.sim_rate;
  p.sim_error_rate = x.sim_error_rate;
  p.sim_quota = x.sim_quota;
  p.creation_timeout = std::chrono::nanoseconds(x.creation_timeout_ns);
  p.creation_concurrency = x.creation_concurrency;
  p.local_creators = 0;
  p.worker_creators = x.worker_creators;
  return p;
}

}  // namespace troupe::fleet
