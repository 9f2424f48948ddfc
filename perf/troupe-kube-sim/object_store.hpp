// object_store: the simulator's objects, by collection ("/api/v1/namespaces/
// ci/pods") and name. Objects live until deleted or reset, whatever happens
// to the clients. Not thread-safe: the simulator holds its lock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "perf/troupe-kube-sim/label_selector.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::kube_sim {

class object_store {
 public:
  // The object `name` of `collection`, or null.
  const json* find(const std::string& collection, const std::string& name) const;
  // Live objects in `collection`.
  std::size_t count(const std::string& collection) const;
  // Inserts or replaces.
  void put(const std::string& collection, const std::string& name, json object);
  // Removes and returns the object, if there was one.
  std::optional<json> erase(const std::string& collection, const std::string& name);
  // The first collection (in path order) holding an object `name`, if any.
  std::optional<std::string> locate(const std::string& name) const;
  // The objects of `collection` whose metadata.labels match, by name.
  std::vector<json> select(const std::string& collection, const label_selector& s) const;
  // One page of select(), in name order: at most `limit` objects (0: all)
  // whose names come after `after` ("" : from the first). `more` says whether
  // matching objects remain after the page.
  std::vector<json> select_page(const std::string& collection, const label_selector& s,
                                const std::string& after, std::size_t limit,
                                bool& more) const;

  std::uint64_t total() const;
  // {"<troupe.dev/pool>": count, ...} over all collections; objects without
  // the label are counted under "".
  json objects_by_pool() const;
  // Live objects whose (troupe.dev/pool, troupe.dev/slot) pair is held by more
  // than one live object (in any collection): each such object counts, so two
  // runners in one slot make 2. Objects without both labels are ignored.
  std::uint64_t duplicates() const;
  void clear() { collections_.clear(); }

 private:
  std::map<std::string, std::map<std::string, json>> collections_;
};

}  // namespace troupe::kube_sim
