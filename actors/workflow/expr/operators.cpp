#include "actors/workflow/expr/operators.hpp"

#include <cmath>
#include <cstdint>
#include <string>

#include "actors/workflow/expr/values.hpp"

namespace troupe::expr {

const char* op_symbol(op kind) {
  switch (kind) {
    case op::neg:
      return "-";
    case op::not_:
      return "not";
    case op::and_:
      return "and";
    case op::or_:
      return "or";
    case op::add:
      return "+";
    case op::sub:
      return "-";
    case op::mul:
      return "*";
    case op::div:
      return "/";
    case op::floordiv:
      return "//";
    case op::mod:
      return "%";
    case op::eq:
      return "==";
    case op::ne:
      return "!=";
    case op::lt:
      return "<";
    case op::le:
      return "<=";
    case op::gt:
      return ">";
    case op::ge:
      return ">=";
    case op::in:
      return "in";
    case op::not_in:
      return "not in";
    case op::literal:
    case op::array:
    case op::object:
    case op::name:
    case op::member:
    case op::index:
    case op::call:
      break;
  }
  return "?";
}

namespace {

bool type_error(op kind, const json& lhs, const json& rhs, std::size_t offset,
                eval_state& state) {
  return state.fail(error_kind::type, offset,
                    std::string("cannot apply '") + op_symbol(kind) + "' to " +
                        type_name(lhs) + " and " + type_name(rhs));
}

bool int_arithmetic(op kind, std::int64_t a, std::int64_t b, std::size_t offset,
                    eval_state& state, json& out) {
  std::int64_t r = 0;
  bool overflow = false;
  switch (kind) {
    case op::add:
      overflow = __builtin_add_overflow(a, b, &r);
      break;
    case op::sub:
      overflow = __builtin_sub_overflow(a, b, &r);
      break;
    case op::mul:
      overflow = __builtin_mul_overflow(a, b, &r);
      break;
    case op::floordiv:
      if (b == 0) return state.fail(error_kind::value, offset, "division by zero");
      if (a == INT64_MIN && b == -1) {
        overflow = true;
        break;
      }
      r = a / b;
      if (a % b != 0 && ((a < 0) != (b < 0))) --r;  // round toward -infinity
      break;
    case op::mod:
      if (b == 0) return state.fail(error_kind::value, offset, "modulo by zero");
      if (b == -1) break;  // r = 0; INT64_MIN % -1 is undefined in C++
      r = a % b;
      if (r != 0 && ((r < 0) != (b < 0))) r += b;  // the sign of the divisor
      break;
    default:
      return false;
  }
  if (overflow) {
    return state.fail(error_kind::value, offset,
                      std::string("integer overflow in '") + op_symbol(kind) + "'");
  }
  out = r;
  return true;
}

bool arithmetic(op kind, const json& lhs, const json& rhs, std::size_t offset,
                eval_state& state, json& out) {
  if (!lhs.is_number() || !rhs.is_number())
    return type_error(kind, lhs, rhs, offset, state);
  if (lhs.is_int() && rhs.is_int() && kind != op::div) {
    return int_arithmetic(kind, lhs.as_int(), rhs.as_int(), offset, state, out);
  }
  double a = lhs.as_double();
  double b = rhs.as_double();
  switch (kind) {
    case op::add:
      out = a + b;
      return true;
    case op::sub:
      out = a - b;
      return true;
    case op::mul:
      out = a * b;
      return true;
    case op::div:
      if (b == 0) return state.fail(error_kind::value, offset, "division by zero");
      out = a / b;
      return true;
    case op::floordiv:
      if (b == 0) return state.fail(error_kind::value, offset, "division by zero");
      out = std::floor(a / b);
      return true;
    case op::mod: {
      if (b == 0) return state.fail(error_kind::value, offset, "modulo by zero");
      double m = std::fmod(a, b);
      if (m != 0 && ((m < 0) != (b < 0))) m += b;
      out = m;
      return true;
    }
    default:
      return false;
  }
}

// + on strings, arrays and objects: concatenation, and a merge of objects in
// which the right side's members win.
bool add(const json& lhs, const json& rhs, std::size_t offset, eval_state& state,
         json& out) {
  if (lhs.is_string() && rhs.is_string()) {
    std::string_view a = lhs.as_string();
    std::string_view b = rhs.as_string();
    if (!state.check_string(a.size() + b.size(), offset)) return false;
    std::string s;
    s.reserve(a.size() + b.size());
    s.append(a).append(b);
    out = json(s);
    return true;
  }
  if (lhs.is_array() && rhs.is_array()) {
    if (rhs.empty()) {
      out = lhs;
      return true;
    }
    if (!state.charge(lhs.size() + rhs.size(), offset)) return false;
    json::array_builder result(lhs.size() + rhs.size());
    for (const json& item : lhs.items()) result.push_back(item);
    for (const json& item : rhs.items()) result.push_back(item);
    out = result.build();
    return true;
  }
  if (lhs.is_object() && rhs.is_object()) {
    if (!state.charge(rhs.size(), offset)) return false;
    json result = lhs;
    for (auto member : rhs.members()) result = result.set(member.key, member.value);
    out = std::move(result);
    return true;
  }
  return arithmetic(op::add, lhs, rhs, offset, state, out);
}

bool contains(const json& needle, const json& haystack, std::size_t offset,
              eval_state& state, bool negate, json& out) {
  bool found = false;
  if (haystack.is_array()) {
    if (!state.charge(haystack.size(), offset)) return false;
    for (const json& item : haystack.items()) {
      if (item == needle) {
        found = true;
        break;
      }
    }
  } else if (haystack.is_object()) {
    found = needle.is_string() && haystack.contains(needle.as_string());
  } else if (haystack.is_string() && needle.is_string()) {
    found = haystack.as_string().find(needle.as_string()) != std::string_view::npos;
  } else {
    return type_error(negate ? op::not_in : op::in, needle, haystack, offset, state);
  }
  out = found != negate;
  return true;
}

}  // namespace

bool apply_binary(op kind, const json& lhs, const json& rhs, std::size_t offset,
                  eval_state& state, json& out) {
  switch (kind) {
    case op::eq:
      out = lhs == rhs;
      return true;
    case op::ne:
      out = lhs != rhs;
      return true;
    case op::lt:
    case op::le:
    case op::gt:
    case op::ge: {
      bool r = false;
      if (!compare_values(kind, lhs, rhs, r)) {
        return state.fail(error_kind::type, offset,
                          "cannot compare " + type_name(lhs) + " with " + type_name(rhs) +
                              " using '" + op_symbol(kind) + "'");
      }
      out = r;
      return true;
    }
    case op::in:
    case op::not_in:
      return contains(lhs, rhs, offset, state, kind == op::not_in, out);
    case op::add:
      return add(lhs, rhs, offset, state, out);
    case op::sub:
    case op::mul:
    case op::div:
    case op::floordiv:
    case op::mod:
      return arithmetic(kind, lhs, rhs, offset, state, out);
    default:
      return state.fail(error_kind::syntax, offset, "not a binary operator");
  }
}

bool apply_negate(const json& v, std::size_t offset, eval_state& state, json& out) {
  if (v.is_int()) {
    if (v.as_int() == INT64_MIN) {
      return state.fail(error_kind::value, offset, "integer overflow in unary '-'");
    }
    out = -v.as_int();
    return true;
  }
  if (v.is_double()) {
    out = -v.as_double();
    return true;
  }
  return state.fail(error_kind::type, offset,
                    "cannot apply unary '-' to " + type_name(v));
}

}  // namespace troupe::expr
