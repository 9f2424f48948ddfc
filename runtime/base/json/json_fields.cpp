#include "runtime/base/json/json_fields.hpp"

namespace troupe {

namespace {

// What a value of type `t` is called in messages, with its article: "a
// string", "an object", "null"; integers are numbers too.
std::string found_name(json_type t) {
  if (t == json_type::integer) t = json_type::real;
  if (t == json_type::null) return "null";
  std::string name(json_type_name(t));
  bool vowel = name[0] == 'a' || name[0] == 'o';
  return (vowel ? "an " : "a ") + name;
}

// What a wanted type `t` is called: as found_name, but "an integer" when
// only an integer will do.
std::string wanted_name(json_type t) {
  return t == json_type::integer ? "an integer" : found_name(t);
}

bool has_type(const json& value, json_type want) {
  if (want == json_type::real) return value.is_number();
  return value.type() == want;
}

}  // namespace

json_fields::json_fields(nulls null_members) : nulls_(null_members) {}

json_fields::json_fields(std::string_view source, nulls null_members)
    : source_(source.empty() ? "<input>" : std::string(source)), nulls_(null_members) {
  prefix_ = source_ + ": ";
}

status json_fields::error(const json_path& at, std::string_view what) const {
  return status::error(prefix_ + at.str() + ": " + std::string(what));
}

status json_fields::type_error(const json_path& at, std::string_view what,
                               const json& found) const {
  return error(at,
               "expected " + std::string(what) + ", found " + found_name(found.type()));
}

status json_fields::expect(const json& value, const json_path& at, json_type want) const {
  if (has_type(value, want)) return status::ok();
  return type_error(at, wanted_name(want), value);
}

result<double> json_fields::non_negative(const json& value, const json_path& at) const {
  if (status s = expect(value, at, json_type::real); !s) return s;
  if (value.as_double() < 0)
    return error(at, "expected a number >= 0, found a negative number");
  return value.as_double();
}

const json* json_fields::present(const json& object, std::string_view key) const {
  const json* member = object.find(key);
  if (member != nullptr && member->is_null() && nulls_ == nulls::absent) return nullptr;
  return member;
}

result<const json*> json_fields::require(const json& object, const json_path& at,
                                         std::string_view key, json_type want) const {
  const json* member = object.find(key);
  if (member == nullptr)
    return error(at.key(key), "missing, expected " + wanted_name(want));
  if (status s = expect(*member, at.key(key), want); !s) return s;
  return member;
}

result<const json*> json_fields::optional(const json& object, const json_path& at,
                                          std::string_view key, json_type want) const {
  const json* member = present(object, key);
  if (member == nullptr) return member;
  if (status s = expect(*member, at.key(key), want); !s) return s;
  return member;
}

result<double> json_fields::non_negative(const json& object, const json_path& at,
                                         std::string_view key) const {
  auto member = require(object, at, key, json_type::real);
  if (!member) return member.error();
  return non_negative(**member, at.key(key));
}

result<std::string> json_fields::required_string(const json& object, const json_path& at,
                                                 std::string_view key) const {
  auto member = require(object, at, key, json_type::string);
  if (!member) return member.error();
  return std::string((*member)->as_string());
}

result<std::int64_t> json_fields::optional_integer(
    const json& object, const json_path& at, std::string_view key, std::int64_t fallback,
    std::int64_t min, std::int64_t max) const {
  auto member = optional(object, at, key, json_type::integer);
  if (!member) return member.error();
  if (*member == nullptr) return fallback;
  std::int64_t value = (*member)->as_int();
  if (value < min || value > max)
    return error(at.key(key), "expected an integer from " + std::to_string(min) + " to " +
                                  std::to_string(max) + ", found " +
                                  std::to_string(value));
  return value;
}

result<std::string> json_fields::optional_string(const json& object, const json_path& at,
                                                 std::string_view key,
                                                 std::string fallback) const {
  auto member = optional(object, at, key, json_type::string);
  if (!member) return member.error();
  if (*member == nullptr) return fallback;
  return std::string((*member)->as_string());
}

result<json> json_fields::optional_object(const json& object, const json_path& at,
                                          std::string_view key) const {
  auto member = optional(object, at, key, json_type::object);
  if (!member) return member.error();
  return *member == nullptr ? json::object() : **member;
}

status json_fields::known(const json& object, const json_path& at,
                          std::initializer_list<std::string_view> names) const {
  auto unknown = unknown_member(object, names);
  if (!unknown) return status::ok();
  return error(at.key(*unknown), "unknown field '" + std::string(*unknown) +
                                     "' (known: " + name_list(names) + ")");
}

std::optional<std::string_view> unknown_member(
    const json& object, std::initializer_list<std::string_view> known) {
  for (auto m : object.members()) {
    bool found = false;
    for (auto k : known) found = found || k == m.key;
    if (!found) return m.key;
  }
  return std::nullopt;
}

std::string name_list(std::initializer_list<std::string_view> names) {
  std::string list;
  for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
  return list.empty() ? "none" : list;
}

}  // namespace troupe
