#include "actors/common/durable_writes.hpp"

namespace troupe {

void durable_writes::done(durable_written& m) {
  auto i = waiting_.find(m.id);
  if (i == waiting_.end()) return;
  auto then = std::move(i->second);
  waiting_.erase(i);
  if (then) then(m.err);
}

void durable_writes::fail_all(const caf::error& err) {
  auto all = std::move(waiting_);
  waiting_.clear();
  for (auto& [id, then] : all)
    if (then) then(err);
}

}  // namespace troupe
