// pool_directory: the current actor of every pool, by name, for the HTTP
// routes and the webhook handler (which run outside actors). Pools register
// at each start, so a restarted pool replaces its old handle. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "messages/fleet.hpp"

namespace troupe::fleet {

class pool_directory {
 public:
  void put(const std::string& pool, pool_actor handle, std::vector<std::string> labels);
  // True for a configured pool, even while its actor is (re)starting.
  bool known(const std::string& pool) const;
  // The pool's actor, or an invalid handle.
  pool_actor get(const std::string& pool) const;
  std::vector<std::string> names() const;
  // The pool whose runner labels include every label of `job_labels`, or "".
  // With several, the first by name.
  std::string match(const std::vector<std::string>& job_labels) const;
  // The pool owning runner `name` by its name prefix ("<pool>-<slot>-<gen>").
  std::string owner_of(const std::string& runner) const;

 private:
  struct entry {
    pool_actor handle;
    std::vector<std::string> labels;
  };
  mutable std::mutex mu_;
  std::map<std::string, entry> pools_;
};

}  // namespace troupe::fleet
