#include "actors/common/actor_directory.hpp"

#include <algorithm>
#include <caf/send.hpp>
#include <memory>
#include <utility>

namespace troupe {

namespace {

void tell(const std::vector<caf::actor_addr>& waiters) {
  for (auto& w : waiters)
    if (auto listener = caf::actor_cast<caf::actor>(w))
      caf::anon_send(listener, directory_put_atom::value);
}

}  // namespace

actor_directory& actor_directory::of(caf::actor_system& sys) {
  static std::mutex mu;
  static std::map<const caf::actor_system*, std::unique_ptr<actor_directory>> all;
  std::lock_guard<std::mutex> guard{mu};
  auto& d = all[&sys];
  if (!d) d = std::make_unique<actor_directory>();
  return *d;
}

void actor_directory::put_actor(const std::string& name, const caf::actor& a, reach r) {
  std::vector<caf::actor_addr> waiters;
  {
    std::lock_guard<std::mutex> guard{mu_};
    auto& e = entries_[name];
    e.actor = a.address();
    e.scope = r;
    ++e.version;
    waiters.swap(e.waiters);
  }
  tell(waiters);
}

actor_directory::found actor_directory::find(const std::string& name) const {
  std::lock_guard<std::mutex> guard{mu_};
  auto i = entries_.find(name);
  if (i == entries_.end()) return {};
  return {caf::actor_cast<caf::actor>(i->second.actor), i->second.version};
}

caf::actor actor_directory::find_published(const std::string& name) const {
  std::lock_guard<std::mutex> guard{mu_};
  auto i = entries_.find(name);
  if (i == entries_.end() || i->second.scope != reach::cluster) return {};
  return caf::actor_cast<caf::actor>(i->second.actor);
}

void actor_directory::notify_after(const std::string& name, std::uint64_t seen,
                                   const caf::actor& listener) {
  {
    std::lock_guard<std::mutex> guard{mu_};
    auto& e = entries_[name];
    if (e.version <= seen) {
      // Waiters that ended since they asked go now, so that a name that is
      // never put again does not collect them.
      auto& ws = e.waiters;
      ws.erase(std::remove_if(ws.begin(), ws.end(),
                              [](const caf::actor_addr& w) {
                                return !caf::actor_cast<caf::actor>(w);
                              }),
               ws.end());
      ws.push_back(listener.address());
      return;
    }
  }
  tell({listener.address()});
}

}  // namespace troupe
