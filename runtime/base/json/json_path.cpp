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

json_path json_path::index(std::size_t i) const {
  json_path out(*this);
  out.text_ += '[' + std::to_string(i) + ']';
  return out;
}

}  // namespace troupe
