// core.workflow: runs another workflow as one task and waits for it.
//
// Input: {"workflow": "<name>"} (a definition of the node's workflows
// directory) or {"definition": {...}} (inline), and "parameters": {...}.
// Result: the child's output; the task fails when the child does not
// succeed, with the child's errors. Cancelling the task cancels the child.
// The child is an execution of its own (its own record and resume) whose id
// is derived from the call ("<parent>-<hash of the call key>"): a task that
// reruns after a crash waits for the child its first run started (or takes
// its result, when it ended) instead of starting a second one.
#pragma once

#include <map>
#include <mutex>
#include <set>

#include "actors/common/action.hpp"

namespace troupe::workflow {

class workflow_action final : public action {
 public:
  // `workflows_dir`: where names are looked up ("" = inline only).
  explicit workflow_action(std::string workflows_dir) : dir_(std::move(workflows_dir)) {}
  status check_input(const json& input) const override;
  std::vector<std::string> literal_fields() const override { return {"definition"}; }
  bool needs_runner() const override { return false; }
  void run(const action_call& call, const action_env& env, action_done done) override;
  void cancel(std::uint64_t call_id, const action_env& env) override;

 private:
  std::string dir_;
  std::mutex mu_;
  std::map<std::uint64_t, std::string> children_;  // call id -> child execution id
  std::set<std::uint64_t> canceled_;  // calls canceled before their child was known
};

}  // namespace troupe::workflow
