// settings_reader: reads one user-named entry of a dynamic section (a fleet
// pool, a bench platform) from parsed INI content, with the same checks the
// node applies to its own keys: a wrong type or an unknown key is an error
// naming "file:line" and the full key. Keys not present keep their values.
//
//   settings_reader r(cfg, "fleet.pools.linux", dict);
//   r.get("max", pool.max);
//   r.get("labels", pool.labels);
//   if (auto st = r.finish(); !st) return st;   // first error, or unknown keys
#pragma once

#include <caf/settings.hpp>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/config/node_config.hpp"

namespace troupe {

// The entries of dynamic section `prefix` ("fleet.pools": section "fleet",
// key "pools") in `cfg.content`: nullptr when the file has none, an error
// naming file:line when it is not a map ("[fleet.pools] must hold " +
// `expected`). Lives as long as `cfg`.
result<const caf::settings*> dynamic_entries(const node_config& cfg,
                                             const std::string& prefix,
                                             const std::string& expected);

class settings_reader {
 public:
  // `dict` must outlive the reader.
  settings_reader(const node_config& cfg, std::string prefix, const caf::settings& dict);

  void get(const char* key, std::string& out);
  void get(const char* key, bool& out);
  void get(const char* key, double& out);
  void get(const char* key, std::uint32_t& out);
  void get(const char* key, std::size_t& out);
  void get(const char* key, std::chrono::nanoseconds& out);
  void get(const char* key, std::vector<std::string>& out);
  void get(const char* key, std::vector<int>& out);  // a list of integers
  // A nested map (`suites={ micro={...} }`): the map, or nullptr when the key
  // is absent or (a type error) not a map. Lives as long as `dict`.
  const caf::settings* get_map(const char* key);

  // An error for `key` that names its place: "file:line: key 'prefix.key' ...".
  status error(const char* key, const std::string& what) const;

  // The first type error, else an error for the first key never read.
  status finish() const;

 private:
  const caf::config_value* lookup(const char* key);
  void type_error(const char* key, const char* expected, const caf::config_value& v);

  const node_config& cfg_;
  std::string prefix_;
  const caf::settings& dict_;
  std::set<std::string> read_;
  status first_error_;
};

}  // namespace troupe
