#include "actors/bench/placement.hpp"

#include "messages/errors.hpp"
#include "runtime/services/process/spawn.hpp"

namespace troupe::bench {

std::string placement_mismatch(const member_info& member,
                               const platform_config& platform) {
  if (!has_role(member, "platform"))
    return "node '" + member.name + "' does not have the role \"platform\"";
  if (member.platform != platform.name)
    return "node '" + member.name + "' runs platform \"" + member.platform +
           "\", not \"" + platform.name + "\"";
  if (!platform.node.empty() && member.name != platform.node)
    return "platform \"" + platform.name + "\" runs on node '" + platform.node +
           "' only, not '" + member.name + "'";
  if (!labels_match(member.labels, platform.labels))
    return "node '" + member.name + "' lacks a label platform \"" + platform.name +
           "\" requires";
  return "";
}

caf::error placement_refusal(const cluster_members* members, const caf::node_id& sender,
                             const caf::node_id& local,
                             const std::vector<platform_config>& platforms,
                             const std::string& platform) {
  const platform_config* config = nullptr;
  for (auto& p : platforms)
    if (p.name == platform) config = &p;
  if (config == nullptr)
    return make_error(errc::not_found, "no platform named '" + platform + "'");
  if (sender == local) return {};
  auto member = members ? members->find(sender) : std::nullopt;
  if (!member)
    return make_error(errc::not_a_member,
                      "bench work from a node that is not a cluster member");
  auto why = placement_mismatch(*member, *config);
  if (!why.empty()) return make_error(errc::not_a_member, why);
  return {};
}

bench_platform_def to_definition(const platform_config& p,
                                 const bench_settings& settings) {
  bench_platform_def def;
  def.name = p.name;
  def.labels = p.labels;
  def.node = p.node;
  def.workdir = p.workdir;
  def.build = p.build;
  for (auto& s : p.suites)
    def.suites.push_back({s.name, s.argv, std::string(result_format_name(s.format)),
                          static_cast<std::uint32_t>(s.repetitions), s.timeout.count()});
  def.suite_timeout_ns = settings.suite_timeout.count();
  def.build_timeout_ns = settings.build_timeout.count();
  def.max_output_bytes = settings.max_output_bytes;
  def.cpus = p.cpus;
  for (auto& [k, v] : p.env) def.env.push_back(k + "=" + v);
  def.clear_env = p.clear_env;
  // check_bench_settings allows "host" and "off" only.
  def.isolation =
      settings.isolation == "off" ? bench_isolation::off : bench_isolation::host;
  def.max_disturbance = settings.max_disturbance;
  def.disturbance_retries = static_cast<std::uint32_t>(settings.disturbance_retries);
  return def;
}

result<std::pair<platform_config, bench_settings>> from_definition(
    const bench_platform_def& def) {
  auto where = "the definition of platform \"" + def.name + "\"";
  if (def.name.empty() || def.suites.empty())
    return status::error(where + " has no name or no suites");
  if (def.suite_timeout_ns <= 0 || def.build_timeout_ns <= 0 || def.max_output_bytes == 0)
    return status::error(where + " lacks its timeouts or output limit");
  platform_config p;
  p.name = def.name;
  p.labels = def.labels;
  p.node = def.node;
  p.workdir = def.workdir;
  p.build = def.build;
  for (auto& s : def.suites) {
    auto format = parse_result_format(s.format);
    if (!format)
      return status::error(where + ": suite '" + s.name + "' has the unknown format \"" +
                           s.format + "\"");
    if (s.argv.empty() || s.repetitions < 1 || s.timeout_ns < 0)
      return status::error(where + ": suite '" + s.name +
                           "' needs argv, repetitions >= 1 and a timeout >= 0");
    p.suites.push_back(
        {s.name, s.argv, *format, s.repetitions, std::chrono::nanoseconds(s.timeout_ns)});
  }
  // CPUs of the coordinator's INI must exist on this worker.
  if (auto st = check_cpus(def.cpus); !st)
    return status::error(where + ": cpus: " + st.message());
  p.cpus = def.cpus;
  for (auto& e : def.env) {
    auto eq = e.find('=');
    if (eq == 0 || eq == std::string::npos)
      return status::error(where + ": env entry \"" + e + "\" is not NAME=VALUE");
    p.env.emplace_back(e.substr(0, eq), e.substr(eq + 1));
  }
  p.clear_env = def.clear_env;
  bench_settings settings;
  settings.isolation = def.isolation == bench_isolation::off ? "off" : "host";
  if (def.max_disturbance > 0) settings.max_disturbance = def.max_disturbance;
  settings.disturbance_retries = def.disturbance_retries;
  settings.suite_timeout = std::chrono::nanoseconds(def.suite_timeout_ns);
  settings.build_timeout = std::chrono::nanoseconds(def.build_timeout_ns);
  settings.max_output_bytes = def.max_output_bytes;
  return std::make_pair(std::move(p), std::move(settings));
}

}  // namespace troupe::bench
