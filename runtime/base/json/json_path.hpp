// json_path: the place of a value inside a JSON document, written the way
// error messages show it: $.tasks.check.next[0].do (RFC 9535 normalized-path
// style: member names that are not identifiers are bracketed and quoted,
// $.env["GIT-SHA"]).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace troupe {

class json_path {
 public:
  // One step: a member name or an array index.
  struct step {
    step(std::string_view key) : key(key), is_index(false) {}
    step(const char* key) : key(key), is_index(false) {}
    step(const std::string& key) : key(key), is_index(false) {}
    step(std::size_t index) : index(index), is_index(true) {}
    step(int index) : index(static_cast<std::size_t>(index)), is_index(true) {}
    std::string_view key;
    std::size_t index = 0;
    bool is_index;
  };

  // The root, "$".
  json_path() : text_("$") {}
  // The path through `steps` from the root: of({"tasks", "check", "next", 0}).
  static json_path of(std::initializer_list<step> steps);

  // This path extended by one member name / one array index.
  json_path key(std::string_view name) const;
  json_path index(std::size_t i) const;

  const std::string& str() const { return text_; }

  // The lengths of the paths, as str() writes them, that `text` starts
  // with, shortest ("$", 1) first: for "$.tasks[\"a b\"].next: x" the
  // lengths of "$", "$.tasks" and "$.tasks[\"a b\"]" and "$.tasks[\"a
  // b\"].next". Empty when `text` does not start with '$'. Lets a reader of
  // an error message find the path it names without guessing at ':'.
  static std::vector<std::size_t> prefix_lengths(std::string_view text);

 private:
  std::string text_;
};

}  // namespace troupe
