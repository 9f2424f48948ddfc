// evaluator: computes the value of a compiled expression against a context
// (internal to the expression engine; templates call it). Recursion follows
// the syntax tree, whose depth the parser bounded; work is counted against
// limits::max_steps in the eval_state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "actors/workflow/expr/ast.hpp"
#include "actors/workflow/expr/eval_state.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::expr {

class evaluator {
 public:
  // `prog`, `source` (the template text, used to name paths in messages) and
  // `state` must outlive the evaluator.
  evaluator(const program& prog, std::string_view source, eval_state& state)
      : prog_(prog), src_(source), st_(state) {}

  // Evaluates node `n` into `out`; false with state.error set on failure.
  bool eval(std::int32_t n, json& out);

 private:
  // Evaluates a path (name, member, index) without copying what it reads:
  // `ref` points into the context or, for values computed on the way, into
  // `holder`. Other nodes are evaluated into `holder`.
  bool eval_ref(std::int32_t n, const json*& ref, json& holder);
  bool eval_member(const node& nd, const json*& ref, json& holder);
  bool eval_index(const node& nd, const json*& ref, json& holder);
  bool eval_list(const node& nd, json& out);
  bool eval_call(const node& nd, json& out);
  bool eval_default(const node& nd, json& out);

  // The source text of `nd` (shortened), to name a path in messages.
  std::string text_of(const node& nd) const;
  // Records "'<path>' is undefined[ (<detail>)]" and returns false.
  bool undefined(const node& nd, const std::string& detail);

  const program& prog_;
  std::string_view src_;
  eval_state& st_;
};

}  // namespace troupe::expr
