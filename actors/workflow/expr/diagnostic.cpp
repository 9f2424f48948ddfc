#include "actors/workflow/expr/diagnostic.hpp"

#include <algorithm>

#include "runtime/base/json/json_text.hpp"

namespace troupe::expr {

namespace {

constexpr std::size_t kShownBytes = 160;
constexpr std::size_t kExcerptBefore = 60;
constexpr std::size_t kExcerptBytes = 120;

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The start of the UTF-8 character that byte `i` belongs to.
std::size_t char_start(std::string_view text, std::size_t i) {
  while (i > 0 && i < text.size() && is_continuation(text[i])) --i;
  return i;
}

}  // namespace

std::size_t column_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (!is_continuation(text[i])) ++column;
  }
  return column;
}

std::string describe(const diagnostic& d, std::string_view text) {
  std::string out = d.message;
  out += " at column ";
  out += std::to_string(column_of(text, d.offset));
  out += " in ";
  if (text.size() <= kShownBytes) {
    append_json_quoted(out, text);
    return out;
  }
  std::size_t offset = std::min(d.offset, text.size());
  std::size_t from =
      offset > kExcerptBefore ? char_start(text, offset - kExcerptBefore) : 0;
  std::size_t to = char_start(text, std::min(text.size(), from + kExcerptBytes));
  std::string excerpt;
  if (from > 0) excerpt = "...";
  excerpt.append(text.substr(from, to - from));
  if (to < text.size()) excerpt += "...";
  append_json_quoted(out, excerpt);
  return out;
}

}  // namespace troupe::expr
