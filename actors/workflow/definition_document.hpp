// definition_document: a workflow definition's text, JSON or YAML, read into
// the one JSON form that load_definition validates (one validator, one set
// of rules); for YAML, with the marks that put the line and column of the
// YAML text into the validator's errors:
//
//   build.yaml:7:5: $.tasks.build.action: expected a string, found a number
//
// A file's format follows its extension: .yaml and .yml are YAML, anything
// else is JSON (as before YAML existed). Over HTTP the request's
// Content-Type chooses (workflow_routes.cpp). What YAML may hold, and how
// its scalars are typed, is runtime/base/yaml/yaml_read.hpp's contract;
// docs/workflow.md tells users.
#pragma once

#include <string>
#include <string_view>

#include "actors/workflow/definition.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"
#include "runtime/base/yaml/yaml_marks.hpp"

namespace troupe::workflow {

enum class definition_format { json, yaml };

// yaml for a path ending in .yaml or .yml, json otherwise.
definition_format format_of_path(std::string_view path);

struct definition_document {
  json document;       // the definition's JSON form
  std::string source;  // names it in errors: a file, "inline"
  yaml_marks marks;    // where its values sit in the YAML text; empty for JSON

  // `error`, about `document` and reading "<source>: $.path: what", with
  // the YAML line and column of that path (yaml_marks::place); any other
  // error, and every error of a JSON document, as it is.
  status place(const status& error) const { return marks.place(error, source); }
};

// Parses `text` in `format`; `source` names it in errors (syntax errors
// name line and column in both formats).
result<definition_document> parse_definition_document(std::string_view text,
                                                      std::string_view source,
                                                      definition_format format);

// Reads and parses the file `path` in the format of its extension; the path
// is the source.
result<definition_document> read_definition_document(const std::string& path);

// load_definition of `doc`, its errors placed.
result<definition_ptr> load_definition(const definition_document& doc,
                                       const action_catalog& actions);

}  // namespace troupe::workflow
