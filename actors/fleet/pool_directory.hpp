// pool_directory: the configured pools, by name, with their runner labels,
// for the HTTP routes, the webhook handler (which run outside actors) and
// the fleet.scale action. A pool's current actor is in the node's
// actor_directory under pool_key(name): each start of the pool puts it
// there, so a restarted pool replaces its old handle. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "actors/common/actor_directory.hpp"
#include "messages/fleet.hpp"

namespace troupe::fleet {

// The name of pool `pool`'s actor in the node's actor_directory.
actor_key<pool_actor> pool_key(const std::string& pool);

class pool_directory {
 public:
  void put(const std::string& pool, std::vector<std::string> labels);
  // True for a configured pool, even while its actor is (re)starting.
  bool known(const std::string& pool) const;
  // The pool's actor in `sys`, or an invalid handle (while it (re)starts).
  pool_actor get(caf::actor_system& sys, const std::string& pool) const;
  std::vector<std::string> names() const;
  // The pool whose runner labels include every label of `job_labels`, or "".
  // With several, the first by name.
  std::string match(const std::vector<std::string>& job_labels) const;
  // The pool owning runner `name` by its name prefix ("<pool>-<slot>-<gen>").
  std::string owner_of(const std::string& runner) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<std::string>> pools_;  // name → labels
};

}  // namespace troupe::fleet
