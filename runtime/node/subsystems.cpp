#include "actors/bench/bench_subsystem.hpp"
#include "actors/fleet/fleet_subsystem.hpp"
#include "runtime/node/node.hpp"

namespace troupe {

subsystem_list make_subsystems() {
  subsystem_list out;
  out.push_back(std::make_unique<fleet::fleet_subsystem>());
  out.push_back(std::make_unique<bench::bench_subsystem>());
  return out;
}

}  // namespace troupe
