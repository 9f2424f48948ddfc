#include "runtime/base/yaml/yaml_marks.hpp"

namespace troupe {

void yaml_marks::add(const json_path& at, yaml_mark mark) {
  marks_[at.str()] = mark;
}

std::optional<yaml_mark> yaml_marks::find(std::string_view path) const {
  auto lengths = json_path::prefix_lengths(path);
  for (auto i = lengths.rbegin(); i != lengths.rend(); ++i) {
    auto found = marks_.find(path.substr(0, *i));
    if (found != marks_.end()) return found->second;
  }
  return std::nullopt;
}

yaml_marks yaml_marks::subtree(const json_path& at) const {
  yaml_marks out;
  const std::string& root = at.str();
  for (auto i = marks_.lower_bound(root); i != marks_.end(); ++i) {
    const std::string& path = i->first;
    if (path.compare(0, root.size(), root) != 0) break;
    // "$.definition" contains "$.definition.tasks" and "$.definition[0]",
    // not "$.definitions".
    std::string_view rest = std::string_view(path).substr(root.size());
    if (!rest.empty() && rest[0] != '.' && rest[0] != '[') continue;
    out.marks_["$" + std::string(rest)] = i->second;
  }
  return out;
}

status yaml_marks::place(const status& error, std::string_view source) const {
  if (error.is_ok()) return error;
  std::string_view message = error.message();
  std::string head = std::string(source) + ": ";
  if (message.compare(0, head.size(), head) != 0) return error;
  std::string_view rest = message.substr(head.size());
  auto lengths = json_path::prefix_lengths(rest);
  if (lengths.empty()) return error;
  auto mark = find(rest.substr(0, lengths.back()));
  if (!mark) return error;
  return status::error(std::string(source) + ":" + std::to_string(mark->line) + ":" +
                       std::to_string(mark->column) + ": " + std::string(rest));
}

}  // namespace troupe
