// The action registry and the input checks every action uses.
#include "actors/common/action.hpp"

#include "runtime/base/json/json_fields.hpp"

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
  auto unknown = unknown_member(input, known);
  if (!unknown) return status::ok();
  return status::error("unknown input field '" + std::string(*unknown) +
                       "' (fields: " + name_list(known) + ")");
}

bool is_template(const json& v) {
  return v.is_string() && v.as_string().find("{{") != std::string_view::npos;
}

}  // namespace troupe::workflow
