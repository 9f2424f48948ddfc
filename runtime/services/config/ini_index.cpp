#include "runtime/services/config/ini_index.hpp"

#include <cctype>
#include <vector>

namespace troupe {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

}  // namespace

ini_index::ini_index(std::string_view text) {
  std::string section;
  std::vector<std::string> maps;  // keys of the multi-line maps we are inside
  int line_no = 0;
  int depth = 0;  // nesting of {...} inside values spanning lines
  while (!text.empty()) {
    auto end = text.find('\n');
    auto raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_no;
    auto line = trim(raw.substr(0, raw.find(';')));
    if (line.empty()) continue;
    if (depth == 0 && line.front() == '[' && line.back() == ']') {
      section = std::string(trim(line.substr(1, line.size() - 2)));
      lines_.emplace(section, line_no);
      continue;
    }
    std::string key;
    if (auto eq = line.find('='); eq != std::string_view::npos) {
      key = std::string(trim(line.substr(0, eq)));
      if (depth == static_cast<int>(maps.size())) {
        auto qualified = section;
        for (auto& m : maps) qualified += "." + m;
        qualified = qualified.empty() ? key : qualified + "." + key;
        if (qualified.front() == '.') qualified.erase(0, 1);
        lines_.emplace(qualified, line_no);
      }
    }
    for (char c : line) {
      if (c == '{') {
        ++depth;
        if (depth == static_cast<int>(maps.size()) + 1 && !key.empty())
          maps.push_back(key);
      }
      if (c == '}' && depth > 0) {
        if (depth == static_cast<int>(maps.size())) maps.pop_back();
        --depth;
      }
    }
  }
}

int ini_index::line_of(std::string_view qualified_key) const {
  std::string key(qualified_key);
  for (;;) {
    if (auto i = lines_.find(key); i != lines_.end()) return i->second;
    auto dot = key.rfind('.');
    if (dot == std::string::npos) return 0;
    key.resize(dot);
  }
}

}  // namespace troupe
