// runner_provider: how a pool's runners are made and removed. One object per
// pool, used by the pool's creator-workers. Calls are asynchronous: each
// returns at once and calls `done` exactly once, on a thread of the
// provider's (never the caller's stack), so callbacks must be cheap and
// non-blocking (a caf::anon_send). Calls are not cancelled: a worker that gives
// up on a call (its timeout) ignores the late answer.
//
// Providers: process (local child processes, provider_process.*), kubernetes
// (objects through the Kubernetes API wire format, provider_kubernetes.*) and
// sim (in-process, for unit tests and the quick benchmark, provider_sim.*).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "actors/fleet/classify.hpp"

namespace troupe::fleet {

// What identifies a runner: its pool, slot and generation, and the name
// derived from them, stable across retries and restarts.
struct runner_spec {
  std::string pool;
  std::string name;  // runner_name(pool, slot, generation)
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  std::vector<std::string> labels;  // the pool's runner labels
  std::string owner;                // the node that owns it (ownership label)
};

// "<pool>-<slot>-<generation>", e.g. "linux-x64-17-3".
std::string runner_name(const std::string& pool, std::uint32_t slot,
                        std::uint32_t generation);

// A runner object as the provider lists it.
struct runner_object {
  std::string name;
  std::map<std::string, std::string> labels;
  bool busy = false;  // running a job, when the provider knows it
};

// Labels every provider puts on a runner it creates, and lists by.
inline constexpr const char* pool_label = "troupe.dev/pool";
inline constexpr const char* owner_label = "troupe.dev/owner";
inline constexpr const char* slot_label = "troupe.dev/slot";
inline constexpr const char* generation_label = "troupe.dev/generation";

class runner_provider {
 public:
  // Calls answer with what the transport saw (classify.hpp's call_report;
  // name_owned is left to the caller).
  using call_done = std::function<void(call_report)>;
  using list_done = std::function<void(bool ok, std::vector<runner_object>, call_report)>;
  // A runner the provider started has ended on its own (a process runner
  // exited): `exit_code` as for processes, -1 when unknown.
  using exit_listener = std::function<void(const std::string& name, int exit_code)>;

  virtual ~runner_provider() = default;

  // Creates runner `spec`. A runner of that name that exists already answers
  // status 409 (the caller decides whether troupe owns it).
  virtual void create(const runner_spec& spec, call_done done) = 0;
  // Deletes runner `name` of `pool`; 404 when it does not exist.
  virtual void remove(const std::string& pool, const std::string& name,
                      call_done done) = 0;
  // Lists the runners of `pool` owned by `owner` (by their labels).
  virtual void list(const std::string& pool, const std::string& owner,
                    list_done done) = 0;
  // Where to report runners that end on their own; set before the first call.
  virtual void on_exit(exit_listener listener) = 0;
};

}  // namespace troupe::fleet
