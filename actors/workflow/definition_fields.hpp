// definition_fields: typed reads of the members of one JSON object of a
// workflow definition, each error naming the member's JSON path. Internal to
// the definition loader.
//
//   fields f(task_json, path);
//   auto action = f.required_string("action");
//   auto timeout = f.optional_seconds("timeout");
//   if (auto st = f.finish({"action", "timeout", ...}); !st) return st;
#pragma once

#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/base/json/json.hpp"
#include "runtime/base/json/json_path.hpp"
#include "runtime/base/status.hpp"

namespace troupe::workflow::detail {

class fields {
 public:
  // `object` must outlive this reader.
  fields(const json& object, json_path path) : object_(object), path_(std::move(path)) {}

  const json_path& path() const { return path_; }
  json_path at(std::string_view key) const { return path_.key(key); }

  // The member, or nullptr when absent.
  const json* get(std::string_view key) const { return object_.find(key); }

  result<std::string> required_string(std::string_view key) const;
  result<std::string> optional_string(std::string_view key,
                                      std::string fallback = {}) const;
  // A positive number of seconds (integer or fraction), as milliseconds;
  // nullopt when absent. Errors: not a number, <= 0 (or < 0 when zero_ok).
  result<std::optional<std::chrono::milliseconds>> optional_seconds(
      std::string_view key, bool zero_ok = false) const;
  // An integer within [min, max]; `fallback` when absent.
  result<std::int64_t> optional_integer(std::string_view key, std::int64_t fallback,
                                        std::int64_t min, std::int64_t max) const;
  // An object; the empty object when absent.
  result<json> optional_object(std::string_view key) const;

  // An error naming the first member not in `known` (with the list of
  // known names), or ok().
  status finish(std::initializer_list<std::string_view> known) const;

  // "<path>: <message>".
  status error(std::string_view key, std::string_view message) const;

 private:
  const json& object_;
  json_path path_;
};

// "<path>: expected <what>, found <type>".
status type_error(const json_path& path, std::string_view what, const json& found);

}  // namespace troupe::workflow::detail
