// workflow_library: the definitions of a node's workflows directory
// ([workflow] workflows-dir), one <name>.json per workflow. Files are read
// when asked for (an edited file takes effect on its next run); reading
// blocks, so callers are HTTP handler threads or the CLI, never actors.
#pragma once

#include <string>

#include "actors/workflow/definition.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe::workflow {

// The document of workflow `name` in `dir`: an error when the name is not
// a plain name (letters, digits, '_', '.', '-'; no path), the directory is
// not configured, the file is missing or not JSON (with line:col).
result<json> read_named_workflow(const std::string& dir, const std::string& name);

// Every *.json file of `dir`, sorted by name, each as {"name", "file",
// "description", "valid", "error"} after loading it with `catalog`.
json list_workflows(const std::string& dir, const action_catalog& catalog);

}  // namespace troupe::workflow
