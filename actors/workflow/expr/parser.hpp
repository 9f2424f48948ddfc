// parser: compiles the text of one expression into nodes of a program
// (internal to the expression engine). Recursive descent, one function per
// precedence level (LANGUAGE.md has the grammar); nesting is bounded by
// limits::max_depth, so no input can overflow the stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/workflow/expr/ast.hpp"
#include "actors/workflow/expr/diagnostic.hpp"
#include "actors/workflow/expr/lexer.hpp"
#include "actors/workflow/expr/limits.hpp"

namespace troupe::expr {

class parser {
 public:
  // Parses the expression that starts at byte `start` of `source`, adding
  // its nodes to `prog`. `source` and `prog` must outlive the parser.
  parser(std::string_view source, std::size_t start, const limits& lim, program& prog);

  // Parses one expression and returns its root node, or -1 with error() set.
  // Stops at the first token that cannot continue the expression.
  std::int32_t parse();

  // The token after the expression.
  const token& current() const { return cur_; }
  // True when current() is the "}}" that closes a template.
  bool at_template_end() const;
  // Records "unexpected <current token>" (or the lexical error at it) and
  // returns -1.
  std::int32_t fail_unexpected();

  const diagnostic& error() const { return error_; }

 private:
  // Counts the recursion of the parse functions that recurse (parse_or,
  // parse_not, parse_unary) against limits::max_depth while alive.
  class nesting {
   public:
    explicit nesting(parser& p) : p_(p) { ++p_.nesting_; }
    ~nesting() { --p_.nesting_; }
    nesting(const nesting&) = delete;
    nesting& operator=(const nesting&) = delete;
    bool ok() const { return p_.nesting_ <= p_.lim_.max_depth; }

   private:
    parser& p_;
  };

  void advance();
  std::int32_t fail(error_kind kind, std::size_t offset, std::string message);
  // Fails with `message` + ", found <current token>" (or the lexical error).
  std::int32_t fail_expected(const std::string& message);
  std::string describe_current() const;
  // Fails with "expression nested deeper than N levels".
  std::int32_t fail_nesting();

  // Adds `n` (whose operands have depth `operand_depth`) to the program.
  std::int32_t make(node n, std::size_t operand_depth);
  std::int32_t make_binary(op kind, std::int32_t lhs, std::int32_t rhs, std::size_t pos);
  std::int32_t make_unary(op kind, std::int32_t operand, std::size_t pos);
  // Adds `items` to program::operands and makes a node of `kind` over them.
  std::int32_t make_list(node n, const std::vector<std::int32_t>& items);

  std::int32_t parse_or();
  std::int32_t parse_and();
  std::int32_t parse_not();
  std::int32_t parse_comparison();
  std::int32_t parse_additive();
  std::int32_t parse_multiplicative();
  std::int32_t parse_unary();
  std::int32_t parse_postfix();
  std::int32_t parse_primary();
  std::int32_t parse_name();
  std::int32_t parse_call(const token& name);
  // Parses "expr, expr, ..." up to `close` (a trailing comma is allowed);
  // with `pairs`, "key: value, ..." with keys and values alternating.
  bool parse_sequence(token_kind close, bool pairs, std::vector<std::int32_t>& items);

  std::string_view src_;
  const limits& lim_;
  program& prog_;
  lexer lex_;
  token cur_;
  diagnostic error_;
  bool failed_ = false;
  std::size_t nesting_ = 0;
};

}  // namespace troupe::expr
