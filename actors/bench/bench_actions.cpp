#include "actors/bench/bench_actions.hpp"

#include <caf/all.hpp>

#include "actors/bench/commit_json.hpp"
#include "actors/common/ask_when_up.hpp"
#include "messages/errors.hpp"

namespace troupe::bench {

namespace {

class submit_action final : public workflow::action {
 public:
  status check_input(const json& input) const override {
    if (auto st = workflow::check_known_fields(input, {"commits"}); !st) return st;
    auto commits = input.find("commits");
    if (!commits) return status::error("missing input field 'commits'");
    if (!workflow::is_template(*commits) && !commits->is_array())
      return status::error("field 'commits': expected a list of commits");
    return status::ok();
  }

  bool needs_runner() const override { return false; }

  void run(const workflow::action_call& call, const workflow::action_env& env,
           workflow::action_done done) override {
    auto commits = parse_commit_list(call.input["commits"].dump());
    if (!commits)
      return done({false, nullptr,
                   "bench.submit: commits" + commits.error().message().substr(1)});
    workflow::ask_when_up<bench_intake>(
        env, workflow::subsystem_patience, scheduler_key, "bench",
        [done](bench_intake& in) {
          done({true, to_json(in), {}});
        },
        [done, sys = env.sys](const caf::error& err) {
          auto text = error_context(err);
          done({false, nullptr,
                "bench.submit: " + (text.empty() ? sys->render(err) : text)});
        },
        bench_submit_atom::value, std::move(*commits));
  }
};

}  // namespace

std::shared_ptr<workflow::action> make_submit_action() {
  return std::make_shared<submit_action>();
}

}  // namespace troupe::bench
