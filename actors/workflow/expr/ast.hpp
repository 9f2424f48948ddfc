// The syntax tree of compiled expressions (internal to the expression
// engine). All expressions of one template live in one program: a flat
// vector of nodes that refer to each other by index, so a compiled template
// is a few allocations and is destroyed without recursion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/base/json/json.hpp"

namespace troupe::expr {

enum class op : std::uint8_t {
  literal,  // value
  array,    // [operands...]
  object,   // {operands: key, value, key, value, ...}
  name,     // a root name looked up in the context; value: the name
  member,   // lhs.name; value: the name
  index,    // lhs[rhs]
  call,     // function(operands...); function: id in the function table
  neg,      // -lhs
  not_,     // not lhs
  and_,     // lhs and rhs
  or_,      // lhs or rhs
  add,
  sub,
  mul,
  div,
  floordiv,
  mod,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,
};

// The operator as written ("+", "not in", ...), for messages.
const char* op_symbol(op kind);

struct node {
  op kind = op::literal;
  std::uint8_t function = 0;  // call: index into the function table
  std::size_t pos = 0;        // byte offset errors about this node point at
  std::size_t begin = 0;      // byte span of the whole node in the text (names paths)
  std::size_t end = 0;
  std::size_t depth = 1;  // 1 + the depth of the deepest operand
  std::int32_t lhs = -1;  // operand, base of member/index
  std::int32_t rhs = -1;  // second operand, subscript of index
  std::size_t first = 0;  // array/object/call: operands [first, first + count)
  std::size_t count = 0;  //   of program::operands
  json value;             // literal: the value; name/member: the name (string)
};

struct program {
  std::vector<node> nodes;
  std::vector<std::int32_t> operands;
  // Root names the expressions read, each once, in order of first use.
  std::vector<std::string> roots;
  // Whether result(), succeeded() or failed() is called.
  bool uses_task_outcome = false;
};

}  // namespace troupe::expr
