#include "actors/workflow/expr/json_template.hpp"

#include <algorithm>
#include <utility>

namespace troupe::expr {

namespace detail {

// A templated string, or a container with templated strings below it. Only
// children that lead to templates are kept.
struct json_template_node {
  struct child {
    std::size_t index = 0;  // arrays
    std::string key;        // objects
    std::unique_ptr<json_template_node> node;
  };

  compiled_template tpl;  // strings
  std::string path;       // strings: the JSON path, for render errors
  std::vector<child> children;
};

}  // namespace detail

namespace {

using detail::json_template_node;

struct compiler {
  const limits& lim;
  std::vector<std::string>& roots;
  bool& uses_task_outcome;

  // The node for `value` at `where`; null when it holds no templates.
  result<std::unique_ptr<json_template_node>> compile(const json& value,
                                                      const json_path& where) {
    std::unique_ptr<json_template_node> n;
    if (value.is_string()) {
      if (value.as_string().find("{{") == std::string_view::npos) return n;
      result<compiled_template> tpl = compile_template(value.as_string(), lim);
      if (!tpl) return status::error(where.str() + ": " + tpl.error().message());
      for (const std::string& r : tpl->roots()) {
        if (std::find(roots.begin(), roots.end(), r) == roots.end()) roots.push_back(r);
      }
      uses_task_outcome = uses_task_outcome || tpl->uses_task_outcome();
      n = std::make_unique<json_template_node>();
      n->tpl = std::move(tpl).value();
      n->path = where.str();
      return n;
    }
    std::size_t index = 0;
    auto add = [&](const json& item, const json_path& path,
                   json_template_node::child c) -> status {
      result<std::unique_ptr<json_template_node>> sub = compile(item, path);
      if (!sub) return sub.error();
      if (*sub == nullptr) return status::ok();
      if (n == nullptr) n = std::make_unique<json_template_node>();
      c.node = std::move(sub).value();
      n->children.push_back(std::move(c));
      return status::ok();
    };
    if (value.is_array()) {
      for (const json& item : value.items()) {
        json_template_node::child c;
        c.index = index;
        status s = add(item, where.index(index), std::move(c));
        if (!s) return s;
        ++index;
      }
    } else if (value.is_object()) {
      for (auto member : value.members()) {
        json_template_node::child c;
        c.key = std::string(member.key);
        status s = add(member.value, where.key(member.key), std::move(c));
        if (!s) return s;
      }
    }
    return n;
  }
};

result<json> render_node(const json_template_node& n, const json& value,
                         const eval_context& ctx, const limits& lim) {
  if (value.is_string()) {
    result<json> r = render(n.tpl, ctx, lim);
    if (!r) return status::error(n.path + ": " + r.error().message());
    return r;
  }
  json out = value;
  for (const json_template_node::child& c : n.children) {
    const json& original = value.is_array() ? value.at(c.index) : *value.find(c.key);
    result<json> r = render_node(*c.node, original, ctx, lim);
    if (!r) return r;
    out = value.is_array() ? out.set(c.index, std::move(r).value())
                           : out.set(c.key, std::move(r).value());
  }
  return out;
}

}  // namespace

json_template::json_template() = default;

result<json_template> compile_json_template(const json& value, const json_path& where,
                                            const limits& lim) {
  json_template t;
  t.source_ = value;
  compiler c{lim, t.roots_, t.uses_task_outcome_};
  result<std::unique_ptr<json_template_node>> root = c.compile(value, where);
  if (!root) return root.error();
  t.root_ = std::shared_ptr<const json_template_node>(std::move(root).value());
  return t;
}

result<json> render(const json_template& t, const eval_context& ctx, const limits& lim) {
  if (t.root_ == nullptr) return t.source_;
  return render_node(*t.root_, t.source_, ctx, lim);
}

}  // namespace troupe::expr
