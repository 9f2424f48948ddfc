#include "runtime/services/config/validate.hpp"

#include <algorithm>
#include <caf/config_value.hpp>

namespace troupe {

namespace {

status walk(const caf::settings& dict, const std::string& prefix,
            const caf::config_option_set& options,
            const std::vector<std::string>& dynamic,
            const std::function<std::string(const std::string&)>& where) {
  for (auto& [key, value] : dict) {
    auto name = prefix.empty() ? key : prefix + "." + key;
    if (std::find(dynamic.begin(), dynamic.end(), name) != dynamic.end()) continue;
    auto* option = options.qualified_name_lookup(name);
    if (option == nullptr) {
      if (caf::holds_alternative<caf::settings>(value)) {
        if (auto st = walk(caf::get<caf::settings>(value), name, options, dynamic, where);
            !st)
          return st;
        continue;
      }
      return status::error(where(name) + ": unknown key '" + name + "'");
    }
    if (auto err = option->check(value)) {
      return status::error(where(name) + ": key '" + name + "' expects " + [&] {
        auto t = option->type_name();
        return std::string(t.begin(), t.end());
      }() + ", got " + describe_value(value));
    }
  }
  return status::ok();
}

}  // namespace

std::string describe_value(const caf::config_value& value) {
  if (caf::holds_alternative<std::string>(value))
    return "the string " + caf::to_string(value);
  return caf::to_string(value) + " (" + std::string(value.type_name()) + ")";
}

status validate_settings(const caf::settings& raw, const caf::config_option_set& options,
                         const std::vector<std::string>& dynamic,
                         const std::function<std::string(const std::string&)>& where) {
  return walk(raw, "", options, dynamic, where);
}

}  // namespace troupe
