// The action registry and the input checks every action uses.
#include "actors/common/action.hpp"

namespace troupe::workflow {

void action_registry::add(std::string name, std::shared_ptr<action> a) {
  actions_[std::move(name)] = std::move(a);
}

std::shared_ptr<action> action_registry::find(std::string_view name) const {
  auto i = actions_.find(name);
  return i == actions_.end() ? nullptr : i->second;
}

std::vector<std::string> action_registry::names() const {
  std::vector<std::string> out;
  for (auto& [name, a] : actions_) out.push_back(name);
  return out;
}

status action_registry::check_input(std::string_view name, const json& input) const {
  auto a = find(name);
  if (!a) {
    std::string known;
    for (auto& n : names()) known += (known.empty() ? "" : ", ") + n;
    return status::error("unknown action '" + std::string(name) + "' (actions: " + known +
                         ")");
  }
  return a->check_input(input);
}

std::vector<std::string> action_registry::literal_fields(std::string_view name) const {
  auto a = find(name);
  return a ? a->literal_fields() : std::vector<std::string>{};
}

status check_known_fields(const json& input,
                          std::initializer_list<std::string_view> known) {
  for (auto m : input.members()) {
    bool ok = false;
    for (auto k : known) ok = ok || k == m.key;
    if (ok) continue;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    return status::error("unknown input field '" + std::string(m.key) +
                         "' (fields: " + (list.empty() ? "none" : list) + ")");
  }
  return status::ok();
}

bool is_template(const json& v) {
  return v.is_string() && v.as_string().find("{{") != std::string_view::npos;
}

}  // namespace troupe::workflow
