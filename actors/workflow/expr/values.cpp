#include "actors/workflow/expr/values.hpp"

#include <limits>

namespace troupe::expr {

bool truthy(const json& v) {
  switch (v.type()) {
    case json_type::null:
      return false;
    case json_type::boolean:
      return v.as_bool();
    case json_type::integer:
      return v.as_int() != 0;
    case json_type::real:
      return v.as_double() != 0.0;
    case json_type::string:
      return !v.as_string().empty();
    case json_type::array:
    case json_type::object:
      return !v.empty();
  }
  return false;
}

void append_text(std::string& out, const json& v) {
  if (v.is_string()) {
    out.append(v.as_string());
  } else {
    v.dump_to(out);
  }
}

bool integral_value(const json& v, std::int64_t& out) {
  if (v.is_int()) {
    out = v.as_int();
    return true;
  }
  if (!v.is_double()) return false;
  double d = v.as_double();
  // [-2^63, 2^63): the doubles that convert to int64 without overflow.
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return false;
  auto i = static_cast<std::int64_t>(d);
  if (static_cast<double>(i) != d) return false;
  out = i;
  return true;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string type_name(const json& v) {
  return std::string(json_type_name(v.type()));
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim_ascii_space(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

namespace {

template <class T>
bool apply_order(op kind, const T& a, const T& b) {
  switch (kind) {
    case op::lt:
      return a < b;
    case op::le:
      return a <= b;
    case op::gt:
      return a > b;
    case op::ge:
      return a >= b;
    default:
      return false;
  }
}

}  // namespace

bool compare_values(op kind, const json& a, const json& b, bool& out) {
  if (a.is_int() && b.is_int()) {
    out = apply_order(kind, a.as_int(), b.as_int());
    return true;
  }
  if (a.is_number() && b.is_number()) {
    // long double holds every int64 exactly (x87 80-bit or IEEE quad).
    static_assert(std::numeric_limits<long double>::digits >= 64);
    auto x = a.is_int() ? static_cast<long double>(a.as_int()) : a.as_double();
    auto y = b.is_int() ? static_cast<long double>(b.as_int()) : b.as_double();
    out = apply_order(kind, x, y);
    return true;
  }
  if (a.is_string() && b.is_string()) {
    out = apply_order(kind, a.as_string(), b.as_string());
    return true;
  }
  return false;
}

}  // namespace troupe::expr
