// The state of one render (internal to the expression engine): the context,
// the limits, the work done so far and the first error. Shared by the
// evaluator, the operators and the builtin functions.
#pragma once

#include <cstddef>
#include <string>

#include "actors/workflow/expr/context.hpp"
#include "actors/workflow/expr/diagnostic.hpp"
#include "actors/workflow/expr/limits.hpp"

namespace troupe::expr {

struct eval_state {
  eval_state(const eval_context& c, const limits& l) : context(c), lim(l) {}

  // Records the error and returns false (so that callers can `return fail(...)`).
  bool fail(error_kind kind, std::size_t offset, std::string message) {
    error = diagnostic{kind, std::move(message), offset};
    return false;
  }

  // Adds `n` work units; false (with a limit error at `offset`) past max_steps.
  bool charge(std::size_t n, std::size_t offset) {
    if (n > lim.max_steps - steps) {
      return fail(
          error_kind::limit, offset,
          "evaluation needs more than " + std::to_string(lim.max_steps) + " steps");
    }
    steps += n;
    return true;
  }

  // False (with a limit error at `offset`) if a string of `bytes` is too long.
  bool check_string(std::size_t bytes, std::size_t offset) {
    if (bytes <= lim.max_string_bytes) return true;
    return fail(error_kind::limit, offset,
                "string longer than " + std::to_string(lim.max_string_bytes) + " bytes");
  }

  const eval_context& context;
  const limits& lim;
  std::size_t steps = 0;
  diagnostic error;
};

}  // namespace troupe::expr
