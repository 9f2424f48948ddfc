// core.shell: runs a command through the node's process service.
//
// Input:
//   argv    ["prog", "arg", ...]: the program and its arguments, each passed
//           literally (templated text never reaches a shell: quotes, ';',
//           '$()' and newlines stay characters of one argument);
//   shell   true: run `command` (a string) with /bin/sh -c — only when the
//           definition says so, and then argv must be absent;
//   cwd     working directory; env {"NAME": "value"} added to the node's
//           environment; stdin  text written to the command's stdin.
// Result: {"exit_code": N, "stdout": "...", "stderr": "..."} plus "json":
// stdout parsed, when stdout is a JSON document; a command ended by a
// signal has "signal": N and exit_code null. Output is bounded (1 MiB per
// stream; "stdout_truncated": true says so). Exit code 0 succeeds; anything
// else fails with the result kept, so `next` can inspect it.
#pragma once

#include <map>
#include <mutex>
#include <set>

#include "actors/common/action.hpp"

namespace troupe::workflow {

class shell_action final : public action {
 public:
  status check_input(const json& input) const override;
  void run(const action_call& call, const action_env& env, action_done done) override;
  void cancel(std::uint64_t call_id, const action_env& env) override;

 private:
  std::mutex mu_;
  std::map<std::uint64_t, std::uint64_t> processes_;  // call id -> process id
  std::set<std::uint64_t>
      reported_early_;  // calls whose end came before start() returned
};

}  // namespace troupe::workflow
