#include "runtime/services/config/scheduler_defaults.hpp"

#include <caf/config_value.hpp>

namespace troupe {

void apply_scheduler_defaults(caf::settings& content) {
  constexpr const char* key = "work-stealing.moderate-poll-attempts";
  if (caf::get_if(&content, key) == nullptr)
    caf::put(content, key, static_cast<std::int64_t>(10));
}

}  // namespace troupe
