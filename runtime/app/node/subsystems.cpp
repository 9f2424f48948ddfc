#include "actors/bench/bench_actions.hpp"
#include "actors/bench/bench_subsystem.hpp"
#include "actors/fleet/fleet_actions.hpp"
#include "actors/fleet/fleet_subsystem.hpp"
#include "actors/workflow/workflow_subsystem.hpp"
#include "runtime/app/node/node.hpp"

namespace troupe {

subsystem_list make_subsystems() {
  subsystem_list out;
  auto fleet = std::make_unique<fleet::fleet_subsystem>();
  auto workflow = std::make_unique<workflow::workflow_subsystem>();
  auto bench = std::make_unique<bench::bench_subsystem>();
  workflow->actions().add("fleet.scale", fleet::make_scale_action(fleet->directory()));
  workflow->actions().add("bench.submit", bench::make_submit_action());
  out.push_back(std::move(fleet));
  out.push_back(std::move(workflow));
  out.push_back(std::move(bench));
  return out;
}

}  // namespace troupe
