// ini_index: where each key of an INI file is written, for error messages.
// CAF's parser returns values without positions; troupe re-reads the text to
// name "file:line" when a key is unknown, mistyped or out of range.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace troupe {

class ini_index {
 public:
  // Indexes `text` (CAF INI syntax: `[section]`, `key=value`, `;` comments).
  // Keys are recorded fully qualified: "section.key". Keys inside inline maps
  // (`pools={x={min=1}}`) resolve to the line of their outermost key.
  explicit ini_index(std::string_view text);
  ini_index() = default;

  // The 1-based line where `qualified_key` (or its closest written parent) is
  // set, or 0 when the file does not mention it.
  int line_of(std::string_view qualified_key) const;

 private:
  std::map<std::string, int, std::less<>> lines_;
};

}  // namespace troupe
