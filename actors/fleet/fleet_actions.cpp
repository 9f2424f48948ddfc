#include "actors/fleet/fleet_actions.hpp"

#include <caf/all.hpp>

#include "actors/common/ask_when_up.hpp"
#include "actors/fleet/fleet_json.hpp"
#include "messages/fleet.hpp"

namespace troupe::fleet {

namespace {

class scale_action final : public workflow::action {
 public:
  explicit scale_action(const pool_directory& pools) : pools_(pools) {}

  status check_input(const json& input) const override {
    if (auto st = workflow::check_known_fields(input, {"pool", "replicas"}); !st)
      return st;
    auto pool = input.find("pool");
    auto replicas = input.find("replicas");
    if (!pool) return status::error("missing input field 'pool'");
    if (!replicas) return status::error("missing input field 'replicas'");
    if (!workflow::is_template(*pool) && !pool->is_string())
      return status::error("field 'pool': expected a string");
    if (!workflow::is_template(*replicas) &&
        !(replicas->is_int() && replicas->as_int() >= 0 &&
          replicas->as_int() <= UINT32_MAX))
      return status::error("field 'replicas': expected an integer >= 0");
    return status::ok();
  }

  bool needs_runner() const override { return false; }

  void run(const workflow::action_call& call, const workflow::action_env& env,
           workflow::action_done done) override {
    if (auto st = check_input(call.input); !st)
      return done({false, nullptr, "fleet.scale: " + st.message()});
    auto& replicas = call.input["replicas"];
    if (!replicas.is_int() || replicas.as_int() < 0 || replicas.as_int() > UINT32_MAX)
      return done({false, nullptr, "fleet.scale: 'replicas' must be an integer >= 0"});
    auto name = std::string(call.input["pool"].as_string());
    if (!pools_.known(name))
      return done({false, nullptr, "fleet.scale: no pool named '" + name + "'"});
    workflow::ask_when_up<pool_status>(
        env, workflow::subsystem_patience, pool_key(name), "pool '" + name + "'",
        [done](pool_status& s) {
          done({true, to_json(s), {}});
        },
        [done, sys = env.sys](const caf::error& err) {
          done({false, nullptr, "fleet.scale: " + sys->render(err)});
        },
        scale_atom::value, static_cast<std::uint32_t>(replicas.as_int()));
  }

 private:
  const pool_directory& pools_;
};

}  // namespace

std::shared_ptr<workflow::action> make_scale_action(const pool_directory& pools) {
  return std::make_shared<scale_action>(pools);
}

}  // namespace troupe::fleet
