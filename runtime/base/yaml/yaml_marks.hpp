// yaml_marks: where the values of a YAML document sit in its text, by the
// JSON path of each value in the document's JSON form (yaml_read.hpp), so
// that an error found on the JSON form — by json_fields or any validator
// whose messages read "<source>: $.path: what" — can name the line and
// column of the YAML text it came from:
//
//   build.yaml: $.tasks.build.action: expected a string, found a number
//   → build.yaml:12:5: $.tasks.build.action: expected a string, found a number
//
// A member's place is its key's ("action:" above, also when the value is a
// block on the next lines); an array item's is the item's own; the root's
// is the document's first value. A path that names no value (a member that
// is missing) takes the place of the nearest value that contains it.
// Lines and columns count from 1.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/base/json/json_path.hpp"
#include "runtime/base/status.hpp"

namespace troupe {

struct yaml_mark {
  std::size_t line = 1;
  std::size_t column = 1;
};

class yaml_marks {
 public:
  // Records that the value at `at` sits at `mark` (a later add for the same
  // path replaces it).
  void add(const json_path& at, yaml_mark mark);

  // The place of the value at `path` (written as json_path::str() writes
  // it), or of the nearest value containing it; nullopt when no value
  // containing it was added (always for an empty set of marks).
  std::optional<yaml_mark> find(std::string_view path) const;

  // The marks of the values at and under `at`, with their paths rooted at
  // `at`: for a request body {"definition": {...}}, subtree($.definition)
  // places the errors of the definition's own validator ("$.tasks...").
  yaml_marks subtree(const json_path& at) const;

  // `error` with the place of the path it names: a message that reads
  // "<source>: $.path: what" becomes "<source>:line:column: $.path: what".
  // Any other message, and any error when no value contains the path, is
  // returned as it is; ok() stays ok().
  status place(const status& error, std::string_view source) const;

  bool empty() const { return marks_.empty(); }

 private:
  std::map<std::string, yaml_mark, std::less<>> marks_;  // json_path::str() -> place
};

}  // namespace troupe
