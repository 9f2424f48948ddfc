// Builtins that convert between types: int, float, str, bool, type, abs.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

#include "actors/workflow/expr/functions.hpp"
#include "actors/workflow/expr/values.hpp"

namespace troupe::expr {

namespace {

// Parses all of `s` (leading '+' allowed) as a T with from_chars.
template <class T>
bool parse_number(std::string_view s, T& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

bool fn_int(call& c) {
  const json& v = c.arg(0);
  switch (v.type()) {
    case json_type::integer:
      c.out = v;
      return true;
    case json_type::boolean:
      c.out = v.as_bool() ? 1 : 0;
      return true;
    case json_type::real: {
      double d = std::trunc(v.as_double());  // toward zero, as C and Python
      std::int64_t i = 0;
      if (!integral_value(json(d), i)) {
        return c.fail(error_kind::value, "cannot convert " + v.dump() + " to an integer");
      }
      c.out = i;
      return true;
    }
    case json_type::string: {
      std::int64_t i = 0;
      if (!parse_number(trim_ascii_space(v.as_string()), i)) {
        return c.fail(error_kind::value, "cannot convert " + v.dump() + " to an integer");
      }
      c.out = i;
      return true;
    }
    default:
      return c.fail_argument(0, "a number, boolean or string");
  }
}

bool fn_float(call& c) {
  const json& v = c.arg(0);
  switch (v.type()) {
    case json_type::integer:
    case json_type::real:
      c.out = v.as_double();
      return true;
    case json_type::boolean:
      c.out = v.as_bool() ? 1.0 : 0.0;
      return true;
    case json_type::string: {
      double d = 0;
      if (!parse_number(trim_ascii_space(v.as_string()), d)) {
        return c.fail(error_kind::value, "cannot convert " + v.dump() + " to a number");
      }
      c.out = d;
      return true;
    }
    default:
      return c.fail_argument(0, "a number, boolean or string");
  }
}

bool fn_str(call& c) {
  if (c.arg(0).is_string()) {
    c.out = c.arg(0);
    return true;
  }
  std::string text;
  append_text(text, c.arg(0));
  if (!c.check_string(text.size())) return false;
  c.out = json(text);
  return true;
}

bool fn_bool(call& c) {
  c.out = truthy(c.arg(0));
  return true;
}

bool fn_type(call& c) {
  c.out = json(json_type_name(c.arg(0).type()));
  return true;
}

bool fn_abs(call& c) {
  const json& v = c.arg(0);
  if (v.is_int()) {
    if (v.as_int() == INT64_MIN) return c.fail(error_kind::value, "integer overflow");
    c.out = v.as_int() < 0 ? -v.as_int() : v.as_int();
    return true;
  }
  if (v.is_double()) {
    c.out = std::fabs(v.as_double());
    return true;
  }
  return c.fail_argument(0, "a number");
}

}  // namespace troupe::expr
