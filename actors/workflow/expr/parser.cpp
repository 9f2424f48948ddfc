#include "actors/workflow/expr/parser.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>

#include "actors/workflow/expr/functions.hpp"

namespace troupe::expr {

namespace {

constexpr std::size_t kShownTokenBytes = 40;

}  // namespace

parser::parser(std::string_view source, std::size_t start, const limits& lim,
               program& prog)
    : src_(source),
      lim_(lim),
      prog_(prog),
      lex_(source, start, lim.max_expression_bytes) {
  advance();
}

void parser::advance() {
  cur_ = lex_.next();
}

bool parser::at_template_end() const {
  return cur_.kind == token_kind::rbrace && cur_.begin + 1 < src_.size() &&
         src_[cur_.begin + 1] == '}';
}

std::int32_t parser::fail(error_kind kind, std::size_t offset, std::string message) {
  if (!failed_) {
    failed_ = true;
    error_ = diagnostic{kind, std::move(message), offset};
  }
  return -1;
}

std::string parser::describe_current() const {
  if (cur_.kind == token_kind::end) return "end of text";
  if (at_template_end()) return "'}}'";
  std::string_view text = src_.substr(cur_.begin, cur_.end - cur_.begin);
  if (text.size() > kShownTokenBytes) {
    return "'" + std::string(text.substr(0, kShownTokenBytes)) + "...'";
  }
  return "'" + std::string(text) + "'";
}

std::int32_t parser::fail_unexpected() {
  if (cur_.kind == token_kind::error) {
    return fail(lex_.error().kind, lex_.error().offset, lex_.error().message);
  }
  if (cur_.kind == token_kind::end) {
    return fail(error_kind::syntax, cur_.begin, "unexpected end of text");
  }
  return fail(error_kind::syntax, cur_.begin, "unexpected " + describe_current());
}

std::int32_t parser::fail_expected(const std::string& message) {
  if (cur_.kind == token_kind::error) return fail_unexpected();
  return fail(error_kind::syntax, cur_.begin, message + ", found " + describe_current());
}

std::int32_t parser::fail_nesting() {
  return fail(
      error_kind::limit, cur_.begin,
      "expression nested deeper than " + std::to_string(lim_.max_depth) + " levels");
}

std::int32_t parser::make(node n, std::size_t operand_depth) {
  n.depth = operand_depth + 1;
  if (n.depth > lim_.max_depth) {
    return fail(
        error_kind::limit, n.pos,
        "expression nested deeper than " + std::to_string(lim_.max_depth) + " levels");
  }
  if (prog_.nodes.size() >= static_cast<std::size_t>(INT32_MAX)) {
    return fail(error_kind::limit, n.pos, "too many expressions");
  }
  prog_.nodes.push_back(std::move(n));
  return static_cast<std::int32_t>(prog_.nodes.size() - 1);
}

std::int32_t parser::make_binary(op kind, std::int32_t lhs, std::int32_t rhs,
                                 std::size_t pos) {
  const node& l = prog_.nodes[lhs];
  const node& r = prog_.nodes[rhs];
  node n;
  n.kind = kind;
  n.pos = pos;
  n.begin = l.begin;
  n.end = r.end;
  n.lhs = lhs;
  n.rhs = rhs;
  std::size_t depth = std::max(l.depth, r.depth);
  return make(std::move(n), depth);
}

std::int32_t parser::make_unary(op kind, std::int32_t operand, std::size_t pos) {
  node n;
  n.kind = kind;
  n.pos = pos;
  n.begin = pos;
  n.end = prog_.nodes[operand].end;
  n.lhs = operand;
  std::size_t depth = prog_.nodes[operand].depth;
  return make(std::move(n), depth);
}

std::int32_t parser::make_list(node n, const std::vector<std::int32_t>& items) {
  std::size_t depth = 0;
  for (std::int32_t i : items) depth = std::max(depth, prog_.nodes[i].depth);
  n.first = prog_.operands.size();
  n.count = items.size();
  prog_.operands.insert(prog_.operands.end(), items.begin(), items.end());
  return make(std::move(n), depth);
}

std::int32_t parser::parse() {
  return parse_or();
}

std::int32_t parser::parse_or() {
  nesting guard(*this);
  if (!guard.ok()) return fail_nesting();
  std::int32_t lhs = parse_and();
  while (lhs >= 0 && cur_.kind == token_kind::kw_or) {
    std::size_t pos = cur_.begin;
    advance();
    std::int32_t rhs = parse_and();
    if (rhs < 0) return -1;
    lhs = make_binary(op::or_, lhs, rhs, pos);
  }
  return lhs;
}

std::int32_t parser::parse_and() {
  std::int32_t lhs = parse_not();
  while (lhs >= 0 && cur_.kind == token_kind::kw_and) {
    std::size_t pos = cur_.begin;
    advance();
    std::int32_t rhs = parse_not();
    if (rhs < 0) return -1;
    lhs = make_binary(op::and_, lhs, rhs, pos);
  }
  return lhs;
}

std::int32_t parser::parse_not() {
  if (cur_.kind != token_kind::kw_not) return parse_comparison();
  nesting guard(*this);
  if (!guard.ok()) return fail_nesting();
  std::size_t pos = cur_.begin;
  advance();
  std::int32_t operand = parse_not();
  if (operand < 0) return -1;
  return make_unary(op::not_, operand, pos);
}

std::int32_t parser::parse_comparison() {
  std::int32_t lhs = parse_additive();
  while (lhs >= 0) {
    op kind;
    std::size_t pos = cur_.begin;
    switch (cur_.kind) {
      case token_kind::eq:
        kind = op::eq;
        break;
      case token_kind::ne:
        kind = op::ne;
        break;
      case token_kind::lt:
        kind = op::lt;
        break;
      case token_kind::le:
        kind = op::le;
        break;
      case token_kind::gt:
        kind = op::gt;
        break;
      case token_kind::ge:
        kind = op::ge;
        break;
      case token_kind::kw_in:
        kind = op::in;
        break;
      case token_kind::kw_not: {
        lexer ahead = lex_;
        if (ahead.next().kind != token_kind::kw_in) return lhs;
        kind = op::not_in;
        advance();  // "not"; "in" is skipped below
        break;
      }
      default:
        return lhs;
    }
    advance();
    std::int32_t rhs = parse_additive();
    if (rhs < 0) return -1;
    lhs = make_binary(kind, lhs, rhs, pos);
  }
  return lhs;
}

std::int32_t parser::parse_additive() {
  std::int32_t lhs = parse_multiplicative();
  while (lhs >= 0 && (cur_.kind == token_kind::plus || cur_.kind == token_kind::minus)) {
    op kind = cur_.kind == token_kind::plus ? op::add : op::sub;
    std::size_t pos = cur_.begin;
    advance();
    std::int32_t rhs = parse_multiplicative();
    if (rhs < 0) return -1;
    lhs = make_binary(kind, lhs, rhs, pos);
  }
  return lhs;
}

std::int32_t parser::parse_multiplicative() {
  std::int32_t lhs = parse_unary();
  while (lhs >= 0) {
    op kind;
    switch (cur_.kind) {
      case token_kind::star:
        kind = op::mul;
        break;
      case token_kind::slash:
        kind = op::div;
        break;
      case token_kind::slash_slash:
        kind = op::floordiv;
        break;
      case token_kind::percent:
        kind = op::mod;
        break;
      default:
        return lhs;
    }
    std::size_t pos = cur_.begin;
    advance();
    std::int32_t rhs = parse_unary();
    if (rhs < 0) return -1;
    lhs = make_binary(kind, lhs, rhs, pos);
  }
  return lhs;
}

}  // namespace troupe::expr
