// The operators of the template language applied to values (internal to
// the expression engine). Errors are recorded in the eval_state at `offset`
// (the operator's position) and reported by returning false.
#pragma once

#include <cstddef>

#include "actors/workflow/expr/ast.hpp"
#include "actors/workflow/expr/eval_state.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::expr {

// lhs <kind> rhs for the binary operators that evaluate both operands
// (everything but and/or): arithmetic, comparison, in and not in.
bool apply_binary(op kind, const json& lhs, const json& rhs, std::size_t offset,
                  eval_state& state, json& out);

// -v for numbers.
bool apply_negate(const json& v, std::size_t offset, eval_state& state, json& out);

}  // namespace troupe::expr
