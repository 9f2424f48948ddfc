#include "runtime/base/json/json_path.hpp"

#include "runtime/base/json/json_text.hpp"

namespace troupe {

namespace {

// Member names written after a dot: [A-Za-z_][A-Za-z0-9_]*, where bytes of
// multi-byte UTF-8 characters count as letters (RFC 9535 member-name-shorthand).
bool is_shorthand(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

}  // namespace

json_path json_path::of(std::initializer_list<step> steps) {
  json_path path;
  for (const step& s : steps) path = s.is_index ? path.index(s.index) : path.key(s.key);
  return path;
}

json_path json_path::key(std::string_view name) const {
  json_path out(*this);
  if (is_shorthand(name)) {
    out.text_.push_back('.');
    out.text_ += name;
  } else {
    out.text_.push_back('[');
    append_json_quoted(out.text_, name);
    out.text_.push_back(']');
  }
  return out;
}

std::vector<std::size_t> json_path::prefix_lengths(std::string_view text) {
  std::vector<std::size_t> out;
  if (text.empty() || text[0] != '$') return out;
  std::size_t i = 1;
  out.push_back(i);
  auto is_name_char = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c >= 0x80;
  };
  while (i < text.size()) {
    std::size_t end = i;
    if (text[i] == '.') {
      end = i + 1;
      while (end < text.size() && is_name_char(static_cast<unsigned char>(text[end])))
        ++end;
      if (end == i + 1) break;
    } else if (text[i] == '[' && i + 1 < text.size() && text[i + 1] == '"') {
      // A quoted name as append_json_quoted writes it: a backslash escapes
      // the next character, the first unescaped quote ends it.
      end = i + 2;
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
      if (end + 1 >= text.size() || text[end + 1] != ']') break;
      end += 2;
    } else if (text[i] == '[') {
      end = i + 1;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      if (end == i + 1 || end >= text.size() || text[end] != ']') break;
      ++end;
    } else {
      break;
    }
    out.push_back(end);
    i = end;
  }
  return out;
}

json_path json_path::index(std::size_t i) const {
  json_path out(*this);
  out.text_ += '[' + std::to_string(i) + ']';
  return out;
}

}  // namespace troupe
