#include "actors/workflow/definition_fields.hpp"

#include <cmath>

namespace troupe::workflow::detail {

status type_error(const json_path& path, std::string_view what, const json& found) {
  return status::error(path.str() + ": expected " + std::string(what) + ", found " +
                       std::string(json_type_name(found.type())));
}

status fields::error(std::string_view key, std::string_view message) const {
  return status::error(at(key).str() + ": " + std::string(message));
}

result<std::string> fields::required_string(std::string_view key) const {
  auto v = get(key);
  if (!v)
    return status::error(path_.str() + ": missing required field '" + std::string(key) +
                         "'");
  if (!v->is_string()) return type_error(at(key), "a string", *v);
  if (v->as_string().empty()) return error(key, "must not be empty");
  return std::string(v->as_string());
}

result<std::string> fields::optional_string(std::string_view key,
                                            std::string fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  if (!v->is_string()) return type_error(at(key), "a string", *v);
  return std::string(v->as_string());
}

result<std::optional<std::chrono::milliseconds>> fields::optional_seconds(
    std::string_view key, bool zero_ok) const {
  auto v = get(key);
  if (!v) return std::optional<std::chrono::milliseconds>();
  if (!v->is_number()) return type_error(at(key), "a number of seconds", *v);
  double s = v->as_double();
  if (!std::isfinite(s) || s < 0 || (s == 0 && !zero_ok))
    return error(key, zero_ok ? "must be >= 0 seconds" : "must be > 0 seconds");
  if (s > 365.0 * 24 * 3600)
    return error(key, "must be at most a year (31536000 seconds)");
  return std::optional<std::chrono::milliseconds>(
      std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(s * 1000))));
}

result<std::int64_t> fields::optional_integer(std::string_view key, std::int64_t fallback,
                                              std::int64_t min, std::int64_t max) const {
  auto v = get(key);
  if (!v) return fallback;
  if (!v->is_int()) return type_error(at(key), "an integer", *v);
  auto i = v->as_int();
  if (i < min || i > max)
    return error(
        key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return i;
}

result<json> fields::optional_object(std::string_view key) const {
  auto v = get(key);
  if (!v) return json::object();
  if (!v->is_object()) return type_error(at(key), "an object", *v);
  return *v;
}

status fields::finish(std::initializer_list<std::string_view> known) const {
  for (auto m : object_.members()) {
    bool found = false;
    for (auto k : known) found = found || k == m.key;
    if (found) continue;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    return error(m.key,
                 "unknown field '" + std::string(m.key) + "' (known: " + list + ")");
  }
  return status::ok();
}

}  // namespace troupe::workflow::detail
