#include "actors/workflow/expr/template.hpp"

#include <cstdint>

#include "actors/workflow/expr/ast.hpp"
#include "actors/workflow/expr/diagnostic.hpp"
#include "actors/workflow/expr/eval.hpp"
#include "actors/workflow/expr/eval_state.hpp"
#include "actors/workflow/expr/parser.hpp"

namespace troupe::expr {

namespace detail {

// A piece of a template: literal text [begin, end) of the template's text,
// or an expression (root >= 0) that starts at `begin`.
struct segment {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::int32_t root = -1;
};

struct template_impl {
  std::string text;
  program prog;
  std::vector<segment> segments;
  bool exact = false;
  bool has_expressions = false;
  json plain;  // the text as a json string, rendered when there are no expressions
};

}  // namespace detail

namespace {

const std::shared_ptr<const detail::template_impl>& empty_template() {
  static const auto empty = std::make_shared<const detail::template_impl>();
  return empty;
}

status compile_error(const diagnostic& d, std::string_view text) {
  return status::error(describe(d, text));
}

}  // namespace

compiled_template::compiled_template() : impl_(empty_template()) {}

compiled_template::compiled_template(std::shared_ptr<const detail::template_impl> impl)
    : impl_(std::move(impl)) {}

const std::string& compiled_template::text() const {
  return impl_->text;
}
bool compiled_template::has_expressions() const {
  return impl_->has_expressions;
}
bool compiled_template::is_exact() const {
  return impl_->exact;
}
const std::vector<std::string>& compiled_template::roots() const {
  return impl_->prog.roots;
}
bool compiled_template::uses_task_outcome() const {
  return impl_->prog.uses_task_outcome;
}

result<compiled_template> compile_template(std::string_view text, const limits& lim) {
  auto impl = std::make_shared<detail::template_impl>();
  impl->text = std::string(text);
  std::string_view src = impl->text;
  std::size_t pos = 0;
  while (pos < src.size()) {
    std::size_t open = src.find("{{", pos);
    if (open == std::string_view::npos) open = src.size();
    if (open > pos) impl->segments.push_back({pos, open, -1});
    if (open == src.size()) break;
    parser p(src, open + 2, lim, impl->prog);
    std::int32_t root = p.parse();
    if (root >= 0 && !p.at_template_end()) {
      if (p.current().kind == token_kind::end) {
        return compile_error(
            {error_kind::syntax, "missing '}}' to close the template", open}, src);
      }
      root = p.fail_unexpected();
    }
    if (root < 0) return compile_error(p.error(), src);
    impl->segments.push_back({open, p.current().end + 1, root});
    pos = p.current().end + 1;
  }
  impl->has_expressions = false;
  for (const detail::segment& s : impl->segments) {
    if (s.root >= 0) impl->has_expressions = true;
  }
  impl->exact = impl->segments.size() == 1 && impl->segments[0].root >= 0;
  if (!impl->has_expressions) impl->plain = json(src);
  return compiled_template(std::move(impl));
}

result<json> render(const compiled_template& t, const eval_context& ctx,
                    const limits& lim) {
  const detail::template_impl& impl = *t.impl_;
  if (!impl.has_expressions) return impl.plain.is_null() ? json("") : impl.plain;
  eval_state state(ctx, lim);
  evaluator ev(impl.prog, impl.text, state);
  if (impl.exact) {
    json value;
    if (!ev.eval(impl.segments[0].root, value)) {
      return status::error(describe(state.error, impl.text));
    }
    return value;
  }
  std::string out;
  for (const detail::segment& s : impl.segments) {
    if (s.root < 0) {
      out.append(impl.text, s.begin, s.end - s.begin);
    } else {
      json value;
      if (!ev.eval(s.root, value)) return status::error(describe(state.error, impl.text));
      append_text(out, value);
    }
    if (!state.check_string(out.size(), s.begin)) {
      return status::error(describe(state.error, impl.text));
    }
  }
  return json(out);
}

}  // namespace troupe::expr
