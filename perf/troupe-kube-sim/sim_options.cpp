#include "perf/troupe-kube-sim/sim_options.hpp"

#include <cmath>
#include <cstdlib>

namespace troupe::kube_sim {

const char* sim_usage =
    "usage: troupe-kube-sim [--name=value ...]\n"
    "  --listen=127.0.0.1:0     address (loopback only; port 0 picks one)\n"
    "  --threads=2              HTTP io threads (and as many timer threads)\n"
    "  --latency-ms=0           delay of every answer but 429 and 401\n"
    "  --jitter-ms=0            the delay is uniform in latency +- jitter\n"
    "  --rate=0                 token bucket: requests/s admitted (0 = unlimited)\n"
    "  --burst=0                bucket size (0 = max(rate, 1))\n"
    "  --rate-scope=creates     creates | all: which requests the bucket meters\n"
    "  --error-rate=0           probability of a 500/503 before anything happens\n"
    "  --slow-rate=0            probability that a create succeeds but answers late\n"
    "  --slow-ms=40000          how late a slow success answers\n"
    "  --quota=0                live objects per collection (0 = unlimited); 403 beyond\n"
    "  --seed=1                 random seed for faults, jitter and uids\n"
    "  --token-file=PATH        require 'Authorization: Bearer <token in PATH>'\n"
    "  --resource-path=PATH     serve only this collection (repeatable; default any)\n";

namespace {

status bad(const std::string& name, const std::string& value, const std::string& what) {
  return status::error("--" + name + "=" + value + ": " + what);
}

bool to_double(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out) && out >= 0;
}

bool to_uint(const std::string& text, std::uint64_t& out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  if (text.size() > 18) return false;
  out = std::strtoull(text.c_str(), nullptr, 10);
  return true;
}

}  // namespace

result<sim_options> parse_sim_options(const std::vector<std::string>& args, bool& help) {
  sim_options o;
  help = false;
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      help = true;
      return o;
    }
    const auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) {
      return status::error("expected --name=value, got '" + arg + "'");
    }
    const std::string name = arg.substr(2, eq - 2);
    const std::string value = arg.substr(eq + 1);
    double number = 0;
    std::uint64_t count = 0;
    auto probability = [&](double& field) -> status {
      if (!to_double(value, number) || number > 1)
        return bad(name, value, "expected 0..1");
      field = number;
      return status::ok();
    };
    auto millis = [&](std::chrono::milliseconds& field) -> status {
      if (!to_uint(value, count)) return bad(name, value, "expected milliseconds");
      field = std::chrono::milliseconds(count);
      return status::ok();
    };
    status s;
    if (name == "listen") {
      o.listen = value;
    } else if (name == "threads") {
      if (!to_uint(value, count) || count < 1 || count > 64)
        return bad(name, value, "1..64");
      o.threads = static_cast<int>(count);
    } else if (name == "latency-ms") {
      s = millis(o.latency);
    } else if (name == "jitter-ms") {
      s = millis(o.jitter);
    } else if (name == "slow-ms") {
      s = millis(o.slow);
    } else if (name == "rate" || name == "burst") {
      if (!to_double(value, number)) return bad(name, value, "expected a number >= 0");
      (name == "rate" ? o.rate : o.burst) = number;
    } else if (name == "rate-scope") {
      if (value != "creates" && value != "all") return bad(name, value, "creates or all");
      o.scope = value == "all" ? rate_scope::all : rate_scope::creates;
    } else if (name == "error-rate") {
      s = probability(o.error_rate);
    } else if (name == "slow-rate") {
      s = probability(o.slow_rate);
    } else if (name == "quota" || name == "seed") {
      if (!to_uint(value, count)) return bad(name, value, "expected an integer >= 0");
      (name == "quota" ? o.quota : o.seed) = count;
    } else if (name == "token-file") {
      o.token_file = value;
    } else if (name == "resource-path") {
      if (value.empty() || value.front() != '/' || value.back() == '/') {
        return bad(name, value,
                   "expected a collection path such as /api/v1/namespaces/ci/pods");
      }
      o.resource_paths.push_back(value);
    } else {
      return status::error("unknown option --" + name);
    }
    if (!s) return s;
  }
  if (o.burst <= 0) o.burst = std::max(o.rate, 1.0);
  return o;
}

}  // namespace troupe::kube_sim
