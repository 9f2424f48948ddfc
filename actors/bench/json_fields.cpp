#include "actors/bench/json_fields.hpp"

namespace troupe::bench::detail {

namespace {

// "a number", "an array", "null": the article reads better in messages.
std::string described(json_type t) {
  if (t == json_type::real || t == json_type::integer) return "a number";
  if (t == json_type::null) return "null";
  std::string name(json_type_name(t));
  bool vowel = name[0] == 'a' || name[0] == 'o';
  return (vowel ? "an " : "a ") + name;
}

bool has_type(const json& value, json_type want) {
  if (want == json_type::real || want == json_type::integer) return value.is_number();
  return value.type() == want;
}

}  // namespace

json_fields::json_fields(std::string_view source_name)
    : source_(source_name.empty() ? "<input>" : std::string(source_name)) {}

status json_fields::error(const json_path& at, std::string_view what) const {
  return status::error(source_ + ": " + at.str() + ": " + std::string(what));
}

status json_fields::expect(const json& value, const json_path& at, json_type want) const {
  if (has_type(value, want)) return status::ok();
  return error(at, "expected " + described(want) + ", found " + described(value.type()));
}

result<const json*> json_fields::require(const json& object, const json_path& at,
                                         std::string_view key, json_type want) const {
  const json* member = object.find(key);
  if (member == nullptr)
    return error(at.key(key), "missing, expected " + described(want));
  if (status s = expect(*member, at.key(key), want); !s) return s;
  return member;
}

result<const json*> json_fields::optional(const json& object, const json_path& at,
                                          std::string_view key, json_type want) const {
  const json* member = object.find(key);
  if (member == nullptr || member->is_null()) return static_cast<const json*>(nullptr);
  if (status s = expect(*member, at.key(key), want); !s) return s;
  return member;
}

result<double> json_fields::non_negative(const json& object, const json_path& at,
                                         std::string_view key) const {
  auto member = require(object, at, key, json_type::real);
  if (!member) return member.error();
  double value = (*member)->as_double();
  if (value < 0)
    return error(at.key(key), "expected a number >= 0, found a negative number");
  return value;
}

}  // namespace troupe::bench::detail
