#include "runtime/node/node.hpp"

namespace troupe {

subsystem_list make_subsystems() {
  subsystem_list out;
  return out;
}

}  // namespace troupe
