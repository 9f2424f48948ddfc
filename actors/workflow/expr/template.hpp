// Templates: JSON strings with {{ expr }} in them, as workflow definitions
// write them ("{{ parameters.hosts }}", "ping {{ item }}"). A template is
// compiled once (when the definition is loaded, so bad templates are caught
// before anything runs) and rendered many times (with-items renders once per
// item). LANGUAGE.md describes the expression language.
//
//   auto t = expr::compile_template("{{ parameters.hosts }}");
//   if (!t) return t.error();               // "unexpected ... at column N in ..."
//   expr::json_context ctx(roots);
//   result<json> hosts = expr::render(*t, ctx);   // an array stays an array
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actors/workflow/expr/context.hpp"
#include "actors/workflow/expr/limits.hpp"
#include "actors/workflow/expr/values.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe::expr {

namespace detail {
struct template_impl;
}

// A compiled template. Immutable; copies share the compiled form (O(1)) and
// may be rendered from many threads at once.
class compiled_template {
 public:
  // The template of the empty text: renders as "".
  compiled_template();

  // The text it was compiled from.
  const std::string& text() const;
  // True when the text holds at least one {{ }}.
  bool has_expressions() const;
  // True when the text is exactly one {{ expr }} (whitespace allowed only
  // inside the braces): render() then returns the value with its JSON type.
  // Otherwise render() returns a string.
  bool is_exact() const;
  // The root names the expressions read ("parameters", "item", ...), each
  // once, in order of first use. Lets validation reject, say, `item` outside
  // with-items.
  const std::vector<std::string>& roots() const;
  // True when an expression calls result(), succeeded() or failed().
  bool uses_task_outcome() const;

 private:
  friend result<compiled_template> compile_template(std::string_view, const limits&);
  friend result<json> render(const compiled_template&, const eval_context&,
                             const limits&);
  explicit compiled_template(std::shared_ptr<const detail::template_impl> impl);

  std::shared_ptr<const detail::template_impl> impl_;
};

// Compiles `text`. Text outside {{ }} is kept as is ("{{" can be written as
// {{ '{{' }}). Errors read "<message> at column <N> in \"<text>\"", the
// column counting code points of `text` from 1.
result<compiled_template> compile_template(std::string_view text,
                                           const limits& lim = limits());

// Renders `t` against `ctx`. An exact template yields the value of its
// expression; any other yields a string in which each expression's value is
// written as text (strings as they are, other values as compact JSON); a
// text without expressions yields itself (the same shared string every
// time). Errors read like compile errors: "'parameters.x' is undefined at
// column 4 in \"{{ parameters.x }}\"".
result<json> render(const compiled_template& t, const eval_context& ctx,
                    const limits& lim = limits());

}  // namespace troupe::expr
