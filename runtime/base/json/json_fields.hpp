// json_fields: typed reads of the members of a parsed JSON document, with
// errors that name the source and the JSON path of the value at fault and say
// what was expected and what was found:
//
//   hyperfine.json: $.results[0].times[2]: expected a number, found a string
//   hyperfine.json: $.results[0].command: missing, expected a string
//   wf.json: $.tasks.a.retries: unknown field 'retries' (known: action, input)
//
// The one reader for documents from outside: benchmark results and
// artifacts, workflow definitions, request bodies, webhook payloads.
//
//   json_fields fields("hyperfine.json");
//   auto times = fields.require(entry, at, "times", json_type::array);
//   if (!times) return times.error();
//
// A wanted json_type::real stands for any number ("a number"),
// json_type::integer for an integer only ("an integer"). Found values are
// named by type: "a string", "a number" (integer or not), "null", ...
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/base/json/json.hpp"
#include "runtime/base/json/json_path.hpp"
#include "runtime/base/status.hpp"

namespace troupe {

class json_fields {
 public:
  // What present(), optional() and the optional_* reads make of a member
  // that is there but null.
  enum class nulls {
    absent,   // the same as no member (tools write null for "not measured")
    checked,  // a value like any other: "expected a string, found null"
  };

  // Errors read "<path>: <what>": for a caller that puts its source in front
  // of every error it returns itself, or has none to name.
  explicit json_fields(nulls null_members = nulls::absent);
  // Errors read "<source>: <path>: <what>"; an empty `source` reads
  // "<input>", as in json::parse's messages.
  explicit json_fields(std::string_view source, nulls null_members = nulls::absent);

  // The source errors start with; empty for a reader without one.
  const std::string& source() const { return source_; }

  // "<source>: <path>: <what>".
  status error(const json_path& at, std::string_view what) const;
  // "<source>: <path>: expected <what>, found <the type of found>", for the
  // value `found` at `at`: "expected a task name, found a number".
  status type_error(const json_path& at, std::string_view what, const json& found) const;

  // ok if `value` (found at `at`) has type `want`; otherwise
  // "expected a number, found a string".
  status expect(const json& value, const json_path& at, json_type want) const;
  // `value` (found at `at`) as a number >= 0; otherwise expect()'s error or
  // "expected a number >= 0, found a negative number".
  result<double> non_negative(const json& value, const json_path& at) const;

  // Member `key` of `object`, or nullptr when it is absent or (with
  // nulls::absent) null. Never an error; nullptr when `object` is no object.
  const json* present(const json& object, std::string_view key) const;
  // Member `key` of `object` (found at `at`), which must be there and of
  // type `want`: "$.x.key: missing, expected a number" or expect()'s error
  // otherwise. The pointer lives as long as `object`.
  result<const json*> require(const json& object, const json_path& at,
                              std::string_view key, json_type want) const;
  // Like require(), but nullptr when the member is not present().
  result<const json*> optional(const json& object, const json_path& at,
                               std::string_view key, json_type want) const;
  // require() of a number >= 0 (see non_negative above).
  result<double> non_negative(const json& object, const json_path& at,
                              std::string_view key) const;
  // require() of a string.
  result<std::string> required_string(const json& object, const json_path& at,
                                      std::string_view key) const;
  // optional() of an integer from `min` to `max` ("expected an integer from
  // 1 to 10, found 11"); `fallback`, which need not be in that range, when
  // the member is not present().
  result<std::int64_t> optional_integer(const json& object, const json_path& at,
                                        std::string_view key, std::int64_t fallback,
                                        std::int64_t min, std::int64_t max) const;
  // optional() of a string; `fallback` when the member is not present().
  result<std::string> optional_string(const json& object, const json_path& at,
                                      std::string_view key,
                                      std::string fallback = {}) const;
  // optional() of an object; the empty object when the member is not
  // present().
  result<json> optional_object(const json& object, const json_path& at,
                               std::string_view key) const;

  // ok when `known` names every member of `object` (found at `at`);
  // otherwise an error at the first other member:
  // "$.colour: unknown field 'colour' (known: name, tasks)".
  status known(const json& object, const json_path& at,
               std::initializer_list<std::string_view> names) const;

 private:
  std::string prefix_;  // "<source>: " or ""
  std::string source_;
  nulls nulls_;
};

// The name of the first member of `object` (in member order) that `known`
// does not name, or nullopt. The view lives as long as `object`.
std::optional<std::string_view> unknown_member(
    const json& object, std::initializer_list<std::string_view> known);

// `names` separated by ", "; "none" when there are none.
std::string name_list(std::initializer_list<std::string_view> names);

}  // namespace troupe
