// yaml_read: YAML text → troupe::json, for documents people write by hand in
// a schema defined on JSON (workflow definitions): the JSON form is checked
// by the JSON validator, and the marks (yaml_marks.hpp) put the YAML line
// and column into its errors.
//
// What a document may hold is what JSON can say, written as YAML:
//   - one document (a second "---" document is an error);
//   - mappings with string keys, sequences, and scalars typed as
//     yaml_scalar.hpp says (YAML 1.2 core schema: `on`/`yes` are strings);
//     quoted ('…', "…") and block (|, >) scalars are always strings;
//   - no tags (`!!str`, `!!python/object`, `!foo`: a value's type follows
//     from how it is written), no anchors (&a) and no aliases (*a): a value
//     is written where it is used, so a document means what it shows;
//   - no duplicate keys; no keys that are not strings (`1:`, `true:`, `~:`,
//     a sequence or mapping as key: quote the key for a string);
//   - nesting at most yaml_max_depth deep, text at most yaml_max_bytes.
// Each refusal, like a syntax error, is "<source>:line:column: what" with
// lines and columns counting from 1; an empty source reads "<input>". An
// empty document (nothing but comments) is null.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"
#include "runtime/base/yaml/yaml_marks.hpp"

namespace troupe {

// YAML texts are refused beyond this size (a request body is bounded by the
// HTTP server's max-body-bytes before it gets here).
constexpr std::size_t yaml_max_bytes = std::size_t{8} << 20;

// Containers nest at most this deep: half of json::max_depth, as yaml-cpp's
// own recursion guard stops near 500 levels of flow sequences (with a
// message that names no depth); this bound always comes first.
constexpr std::size_t yaml_max_depth = 256;

struct yaml_document {
  json value;        // the document in its JSON form
  yaml_marks marks;  // where each value of `value` sits in the text
};

// Parses `text`, named `source` in errors.
result<yaml_document> parse_yaml(std::string_view text, std::string_view source = "");

// Reads and parses a file; the path is the source in errors.
result<yaml_document> parse_yaml_file(const std::string& path);

}  // namespace troupe
