#include "actors/common/actor_names.hpp"

#include <caf/actor_cast.hpp>
#include <map>
#include <mutex>
#include <utility>

namespace troupe {

namespace {

std::mutex mu;
std::map<std::pair<const caf::actor_system*, caf::atom_value>, caf::actor_addr> names;

}  // namespace

void put_actor_name(caf::actor_system& sys, caf::atom_value name, const caf::actor& a) {
  std::lock_guard<std::mutex> guard{mu};
  names[{&sys, name}] = a.address();
}

caf::actor find_actor_name(caf::actor_system& sys, caf::atom_value name) {
  std::lock_guard<std::mutex> guard{mu};
  auto i = names.find({&sys, name});
  if (i == names.end()) return {};
  return caf::actor_cast<caf::actor>(i->second);
}

}  // namespace troupe
