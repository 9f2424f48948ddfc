#include "runtime/app/node/readiness.hpp"

#include <caf/all.hpp>

#include "actors/common/actor_directory.hpp"

namespace troupe {

std::string not_up(caf::actor_system& sys, const std::vector<readiness_name>& names) {
  auto& directory = actor_directory::of(sys);
  std::string out;
  for (auto& n : names)
    if (!directory.find(n.name).up) out += (out.empty() ? "" : ", ") + n.what;
  return out;
}

caf::actor watch_readiness(caf::actor_system& sys, std::vector<readiness_name> names,
                           const supervisor_actor& root, std::function<void()> on_ready) {
  auto lifetime = caf::actor_cast<caf::actor>(root);
  return sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    auto& directory = actor_directory::of(self->system());
    // Waits for the next put of the first name not up, or reports.
    auto check = [=, &directory] {
      for (auto& n : names) {
        auto found = directory.find(n.name);
        if (!found.up)
          return directory.notify_after(n.name, found.version,
                                        caf::actor_cast<caf::actor>(self));
      }
      on_ready();
      self->quit();
    };
    self->set_down_handler([self](caf::down_msg&) { self->quit(); });
    self->monitor(lifetime);
    check();
    return {[=](directory_put_atom) { check(); }};
  });
}

}  // namespace troupe
