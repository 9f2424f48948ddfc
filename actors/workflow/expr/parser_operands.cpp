// The parser's operands: prefix minus, postfix member and index access,
// literals, names and function calls.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>

#include "actors/workflow/expr/functions.hpp"
#include "actors/workflow/expr/parser.hpp"

namespace troupe::expr {

namespace {

std::string arguments(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " argument" : " arguments");
}

}  // namespace

std::int32_t parser::parse_unary() {
  if (cur_.kind != token_kind::minus) return parse_postfix();
  nesting guard(*this);
  if (!guard.ok()) return fail_nesting();
  std::size_t pos = cur_.begin;
  advance();
  std::int32_t operand = parse_unary();
  if (operand < 0) return -1;
  // Fold the sign into a number literal: -5 is a literal, not neg(5).
  node& n = prog_.nodes[operand];
  if (n.kind == op::literal &&
      (n.value.is_double() || (n.value.is_int() && n.value.as_int() != INT64_MIN))) {
    n.value = n.value.is_int() ? json(-n.value.as_int()) : json(-n.value.as_double());
    n.begin = pos;
    n.pos = pos;
    return operand;
  }
  return make_unary(op::neg, operand, pos);
}

std::int32_t parser::parse_postfix() {
  std::int32_t base = parse_primary();
  while (base >= 0) {
    if (cur_.kind == token_kind::dot) {
      advance();
      bool is_name = cur_.kind == token_kind::name || (cur_.kind >= token_kind::kw_and &&
                                                       cur_.kind <= token_kind::kw_null);
      if (!is_name) return fail_expected("expected a member name after '.'");
      node n;
      n.kind = op::member;
      n.pos = cur_.begin;
      n.begin = prog_.nodes[base].begin;
      n.end = cur_.end;
      n.lhs = base;
      n.value = json(src_.substr(cur_.begin, cur_.end - cur_.begin));
      std::size_t depth = prog_.nodes[base].depth;
      advance();
      base = make(std::move(n), depth);
    } else if (cur_.kind == token_kind::lbracket) {
      std::size_t pos = cur_.begin;
      advance();
      std::int32_t key = parse_or();
      if (key < 0) return -1;
      if (cur_.kind != token_kind::rbracket) return fail_expected("expected ']'");
      node n;
      n.kind = op::index;
      n.pos = pos;
      n.begin = prog_.nodes[base].begin;
      n.end = cur_.end;
      n.lhs = base;
      n.rhs = key;
      std::size_t depth = std::max(prog_.nodes[base].depth, prog_.nodes[key].depth);
      advance();
      base = make(std::move(n), depth);
    } else {
      break;
    }
  }
  return base;
}

std::int32_t parser::parse_primary() {
  node n;
  n.pos = cur_.begin;
  n.begin = cur_.begin;
  n.end = cur_.end;
  switch (cur_.kind) {
    case token_kind::integer:
      n.value = json(cur_.integer);
      break;
    case token_kind::real:
      n.value = json(cur_.real);
      break;
    case token_kind::string:
      n.value = json(cur_.text);
      break;
    case token_kind::kw_true:
      n.value = json(true);
      break;
    case token_kind::kw_false:
      n.value = json(false);
      break;
    case token_kind::kw_null:
      break;
    case token_kind::name:
      return parse_name();
    case token_kind::lparen: {
      advance();
      std::int32_t inner = parse_or();
      if (inner < 0) return -1;
      if (cur_.kind != token_kind::rparen) return fail_expected("expected ')'");
      advance();
      return inner;
    }
    case token_kind::lbracket:
    case token_kind::lbrace: {
      bool is_object = cur_.kind == token_kind::lbrace;
      advance();
      std::vector<std::int32_t> items;
      token_kind close = is_object ? token_kind::rbrace : token_kind::rbracket;
      if (!parse_sequence(close, is_object, items)) return -1;
      n.kind = is_object ? op::object : op::array;
      n.end = cur_.end;
      advance();
      return make_list(std::move(n), items);
    }
    default:
      return fail_expected("expected an expression");
  }
  advance();
  return make(std::move(n), 0);
}

std::int32_t parser::parse_name() {
  token name = cur_;
  advance();
  if (cur_.kind == token_kind::lparen) return parse_call(name);
  if (std::find(prog_.roots.begin(), prog_.roots.end(), name.text) == prog_.roots.end()) {
    prog_.roots.push_back(name.text);
  }
  node n;
  n.kind = op::name;
  n.pos = name.begin;
  n.begin = name.begin;
  n.end = name.end;
  n.value = json(name.text);
  return make(std::move(n), 0);
}

std::int32_t parser::parse_call(const token& name) {
  const function_info* fn = find_function(name.text);
  if (fn == nullptr) {
    return fail(error_kind::syntax, name.begin, "unknown function '" + name.text + "'");
  }
  advance();  // '('
  std::vector<std::int32_t> args;
  if (!parse_sequence(token_kind::rparen, false, args)) return -1;
  std::size_t n_args = args.size();
  if (n_args < fn->min_args || (fn->max_args != kVariadic && n_args > fn->max_args)) {
    std::string takes;
    if (fn->min_args == fn->max_args) {
      takes = arguments(fn->min_args);
    } else if (fn->max_args == kVariadic) {
      takes = "at least " + arguments(fn->min_args);
    } else {
      takes = std::to_string(fn->min_args) + " to " + arguments(fn->max_args);
    }
    return fail(error_kind::syntax, name.begin,
                name.text + "() takes " + takes + ", got " + std::to_string(n_args));
  }
  node n;
  n.kind = op::call;
  n.function = function_id(*fn);
  n.pos = name.begin;
  n.begin = name.begin;
  n.end = cur_.end;
  advance();  // ')'
  if (reads_task_outcome(n.function)) prog_.uses_task_outcome = true;
  return make_list(std::move(n), args);
}

bool parser::parse_sequence(token_kind close, bool pairs,
                            std::vector<std::int32_t>& items) {
  const char* closer = close == token_kind::rparen     ? "')'"
                       : close == token_kind::rbracket ? "']'"
                                                       : "'}'";
  while (cur_.kind != close) {
    std::int32_t item = parse_or();
    if (item < 0) return false;
    items.push_back(item);
    if (pairs) {
      if (cur_.kind != token_kind::colon) {
        fail_expected("expected ':' after an object key");
        return false;
      }
      advance();
      std::int32_t value = parse_or();
      if (value < 0) return false;
      items.push_back(value);
    }
    if (cur_.kind == token_kind::comma) {
      advance();
    } else if (cur_.kind != close) {
      fail_expected(std::string("expected ',' or ") + closer);
      return false;
    }
  }
  return true;
}

}  // namespace troupe::expr
