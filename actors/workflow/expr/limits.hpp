// Bounds that keep hostile templates cheap: every template is compiled and
// evaluated within these, whatever its text, so a definition or a published
// value cannot exhaust the stack, the CPU or the memory of a node.
#pragma once

#include <cstddef>

namespace troupe::expr {

struct limits {
  // Bytes of one expression (the text between "{{" and "}}"). The text
  // around templates is not limited.
  std::size_t max_expression_bytes = 16 * 1024;
  // Nesting of sub-expressions (operands, parentheses, arguments, literal
  // elements). Bounds the recursion of the parser and of the evaluator; a
  // flat chain such as a + b + c + ... nests one level per operator.
  std::size_t max_depth = 128;
  // Work units of one render: one per node evaluated plus one per element a
  // function or operator produces or visits (range, join, keys, in, ...).
  std::size_t max_steps = 20'000'000;
  // Elements one range() call may produce.
  std::size_t max_range = 10'000'000;
  // Bytes of one string an operator, a function or a mixed template
  // produces. Strings read from the context are not limited.
  std::size_t max_string_bytes = std::size_t{64} << 20;
};

}  // namespace troupe::expr
