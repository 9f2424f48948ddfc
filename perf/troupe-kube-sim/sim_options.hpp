// The command line of troupe-kube-sim (see main.cpp for what each flag does).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/base/status.hpp"

namespace troupe::kube_sim {

enum class rate_scope { creates, all };

struct sim_options {
  std::string listen = "127.0.0.1:0";
  int threads = 2;                         // HTTP io threads; timers get as many
  std::chrono::milliseconds latency{0};    // every answer but 429 and 401
  std::chrono::milliseconds jitter{0};     // latency is uniform in latency ± jitter
  double rate = 0;                         // requests/s admitted, 0 = unlimited
  double burst = 0;                        // bucket size; 0 = max(rate, 1)
  rate_scope scope = rate_scope::creates;  // which requests the bucket meters
  double error_rate = 0;                   // probability of a 500/503, before anything
  double slow_rate = 0;                    // probability a create is answered late
  std::chrono::milliseconds slow{40000};   // how late
  std::uint64_t quota = 0;                 // live objects per collection, 0 = unlimited
  std::uint64_t seed = 1;
  std::string token_file;                   // require this bearer token when set
  std::vector<std::string> resource_paths;  // collections served; empty = any
};

// Parses argv[1..] ("--name=value" each). `help` is set for --help.
result<sim_options> parse_sim_options(const std::vector<std::string>& args, bool& help);

extern const char* sim_usage;

}  // namespace troupe::kube_sim
