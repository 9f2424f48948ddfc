#include "actors/common/actor_directory.hpp"

#include <algorithm>
#include <caf/abstract_actor.hpp>
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

// The actor at `addr` unless it has ended (another handle may still keep
// an ended actor's control block alive).
caf::actor live(const caf::actor_addr& addr) {
  auto a = caf::actor_cast<caf::actor>(addr);
  if (!a) return a;
  auto* p = caf::actor_cast<caf::abstract_actor*>(a);
  return p->getf(caf::abstract_actor::is_terminated_flag) ? caf::actor{} : a;
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

void actor_directory::put_actor(const std::string& name, const caf::actor& a, reach r,
                                bool up) {
  std::vector<caf::actor_addr> waiters;
  {
    std::lock_guard<std::mutex> guard{mu_};
    auto& e = entries_[name];
    e.actor = a.address();
    e.scope = r;
    e.up = up;
    ++e.version;
    waiters.swap(e.waiters);
  }
  tell(waiters);
}

actor_directory::found actor_directory::find(const std::string& name) const {
  std::lock_guard<std::mutex> guard{mu_};
  auto i = entries_.find(name);
  if (i == entries_.end()) return {};
  auto a = live(i->second.actor);
  bool up = a && i->second.up;
  return {std::move(a), i->second.version, up};
}

std::vector<std::string> actor_directory::not_up(
    const std::vector<std::string>& names) const {
  std::vector<std::string> out;
  for (auto& n : names)
    if (!find(n).up) out.push_back(n);
  return out;
}

caf::actor actor_directory::find_published(const std::string& name) const {
  std::lock_guard<std::mutex> guard{mu_};
  auto i = entries_.find(name);
  if (i == entries_.end() || i->second.scope != reach::cluster) return {};
  return live(i->second.actor);
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
