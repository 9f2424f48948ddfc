// workflow_library: the definitions of a node's workflows directory
// ([workflow] workflows-dir), one file per workflow, named after it:
// <name>.json, <name>.yaml or <name>.yml (the format by the extension,
// definition_document.hpp). Two files for one name are an error, not a
// choice. Files are read when asked for (an edited file takes effect on its
// next run); reading blocks, so callers are HTTP handler threads or the CLI,
// never actors.
#pragma once

#include <string>

#include "actors/workflow/definition.hpp"
#include "actors/workflow/definition_document.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe::workflow {

// The document of workflow `name` in `dir`, its source the file's name
// ("hello.yaml"): an error when the name is not a plain name (letters,
// digits, '_', '.', '-'; no path), the directory is not configured, no file
// or more than one file has that name, or the file does not parse (with
// line:col).
result<definition_document> read_named_workflow(const std::string& dir,
                                                const std::string& name);

// Every definition file of `dir` (*.json, *.yaml, *.yml), sorted by file
// name, each as {"name", "file", "description", "valid", "error"} after
// loading it with `catalog`; the files of a name that has several are all
// invalid, with an error naming them.
json list_workflows(const std::string& dir, const action_catalog& catalog);

}  // namespace troupe::workflow
