// definition: a workflow as loaded from its file (JSON, or YAML in the same
// schema: definition_document.hpp), validated and with every template
// compiled, ready to run any number of times. WORKFLOWS.md (in this folder)
// documents the format for users; this header is its model.
//
// load_definition() is all-or-nothing: it returns the whole definition or the
// first error, naming the source and the JSON path of the offending value:
//   "deploy.json: $.tasks.check.next[0].do[1]: unknown task 'deplo' (tasks:
//    check, deploy, notify)".
// What is checked before anything runs:
//   - the shape: known fields only, each of the right type and range;
//   - every template compiles, and reads only names that exist where it is
//     used (`item`/`index` only inside a with-items task's input; result(),
//     succeeded(), failed() only in `next`);
//   - every action is known and its literal input has the fields the action
//     takes (see action_catalog);
//   - every task named in a `do` exists; a `join` task has enough inbound
//     transitions to ever start;
//   - some task starts the workflow (has no inbound transition), and no cycle
//     of unconditional transitions exists (it could never end): a cycle needs
//     one transition with a `when` as its exit.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/common/action.hpp"
#include "actors/workflow/expr/json_template.hpp"
#include "actors/workflow/expr/template.hpp"
#include "actors/workflow/retry_policy.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe::workflow {

// One entry of a task's `next`.
struct transition {
  // Absent: the entry matches when the task succeeded (Orquesta takes such
  // an entry always; troupe does not let an unwritten condition swallow a
  // failure).
  std::optional<expr::compiled_template> when;
  // `publish`: variables set, in order, when the entry matches.
  std::vector<std::pair<std::string, expr::json_template>> publish;
  std::vector<std::string> next_tasks;  // `do`
};

struct task_definition {
  std::string name;
  std::string action;
  expr::json_template input;            // an object template (empty object if absent)
  json literal_input = json::object();  // the action's literal fields, not templates
  std::optional<expr::compiled_template> with_items;  // renders to an array
  std::size_t concurrency = 0;  // items in flight; 0 = the node's default
  retry_policy retry;           // count 0: no retry
  std::optional<std::chrono::milliseconds> timeout;  // per action attempt
  std::vector<transition> next;
  // Inbound transitions awaited before the task starts: 0 = no join (every
  // arrival starts it); "all" is resolved to the number of distinct tasks
  // with a transition to this one.
  std::size_t join = 0;
  // "all": join counts distinct tasks that arrived, not arrivals (a task
  // that loops or matches two entries arrives once).
  bool join_all = false;
  std::map<std::string, std::string> worker_selector;  // labels (cluster)
  std::size_t index = 0;  // position in the definition's task list
};

struct workflow_definition {
  std::string name;
  std::string description;
  std::string source;                  // file name, "inline", ...
  json document;                       // the document as loaded (stored with executions)
  json input;                          // parameter name -> default
  json vars;                           // variable name -> initial value
  std::vector<task_definition> tasks;  // in definition order
  std::vector<std::size_t> start_tasks;  // tasks without inbound transitions
  std::optional<expr::json_template> output;
  std::optional<std::chrono::milliseconds> timeout;  // whole execution

  // Task name -> index in `tasks` (load_definition fills it).
  std::map<std::string, std::size_t, std::less<>> task_index;

  // The task named `name`, or nullptr. O(log tasks): the engine resolves
  // every `do` through it.
  const task_definition* find(std::string_view name) const;
};

using definition_ptr = std::shared_ptr<const workflow_definition>;

// Validates and compiles `document`. `source` names it in errors.
result<definition_ptr> load_definition(const json& document, std::string_view source,
                                       const action_catalog& actions);

// Parses `text` (simdjson) and loads it.
result<definition_ptr> parse_definition(std::string_view text, std::string_view source,
                                        const action_catalog& actions);

// Reads, parses and loads a file: YAML for a path ending in .yaml or .yml,
// JSON otherwise; a YAML file's errors name line and column too
// (definition_document.hpp, where it is defined).
result<definition_ptr> read_definition(const std::string& path,
                                       const action_catalog& actions);

// The parameters of a run: the defaults of `def.input` overridden by
// `given`, which must be an object naming only declared parameters (an
// error names the first unknown one).
result<json> bind_parameters(const workflow_definition& def, const json& given);

}  // namespace troupe::workflow
