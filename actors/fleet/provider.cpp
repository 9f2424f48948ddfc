#include "actors/fleet/provider.hpp"

namespace troupe::fleet {

std::string runner_name(const std::string& pool, std::uint32_t slot,
                        std::uint32_t generation) {
  return pool + "-" + std::to_string(slot) + "-" + std::to_string(generation);
}

}  // namespace troupe::fleet
