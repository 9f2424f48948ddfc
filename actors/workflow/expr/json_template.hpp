// json_template: a JSON value (a task's `input`, a workflow's `output`, a
// `publish` block) whose strings may hold templates. Every such string is
// compiled once; rendering evaluates them and rebuilds only the paths that
// lead to them, so the rest of the value (strings without templates
// included) is shared with the definition, not copied.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/workflow/expr/context.hpp"
#include "actors/workflow/expr/limits.hpp"
#include "actors/workflow/expr/template.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/json/json_path.hpp"
#include "runtime/base/status.hpp"

namespace troupe::expr {

namespace detail {
struct json_template_node;
}

// Immutable; copies share the compiled form.
class json_template {
 public:
  // The template of null (no expressions).
  json_template();

  // The value it was compiled from.
  const json& source() const { return source_; }
  // True when some string in the value holds a {{ }}.
  bool has_expressions() const { return root_ != nullptr; }
  // Root names read by any of its templates, each once (see compiled_template).
  const std::vector<std::string>& roots() const { return roots_; }
  // True when any of its templates calls result(), succeeded() or failed().
  bool uses_task_outcome() const { return uses_task_outcome_; }

 private:
  friend result<json_template> compile_json_template(const json&, const json_path&,
                                                     const limits&);
  friend result<json> render(const json_template&, const eval_context&, const limits&);

  json source_;
  std::shared_ptr<const detail::json_template_node> root_;  // null: no expressions
  std::vector<std::string> roots_;
  bool uses_task_outcome_ = false;
};

// Compiles every string of `value` that contains "{{" (object keys are not
// templates). `where` is the JSON path of `value` in its document; errors
// name the string's path: "$.tasks.check.input.argv[2]: unexpected ')' at
// column 13 in \"{{ length(x)) }}\"".
result<json_template> compile_json_template(const json& value,
                                            const json_path& where = json_path(),
                                            const limits& lim = limits());

// The value with each template string replaced by its rendering (an exact
// template keeps its value's type: "{{ parameters.hosts }}" becomes the
// array). Without expressions, returns source() itself. Errors are prefixed
// with the string's path, as compile errors are.
result<json> render(const json_template& t, const eval_context& ctx,
                    const limits& lim = limits());

}  // namespace troupe::expr
