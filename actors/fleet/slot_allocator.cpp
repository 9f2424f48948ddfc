#include "actors/fleet/slot_allocator.hpp"

namespace troupe::fleet {

std::uint32_t slot_allocator::take() {
  std::uint32_t slot;
  if (!free_.empty()) {
    slot = *free_.begin();
    free_.erase(free_.begin());
  } else {
    // Slots adopted above the dense range are held: step over them.
    while (held_.count(dense_end_) > 0) ++dense_end_;
    slot = dense_end_++;
  }
  ++held_[slot];
  return slot;
}

void slot_allocator::hold(std::uint32_t slot) {
  if (++held_[slot] == 1 && slot < dense_end_) free_.erase(slot);
}

void slot_allocator::release(std::uint32_t slot) {
  auto i = held_.find(slot);
  if (i == held_.end()) return;
  if (--i->second > 0) return;
  held_.erase(i);
  if (slot < dense_end_) free_.insert(slot);
}

std::uint32_t slot_allocator::holds(std::uint32_t slot) const {
  auto i = held_.find(slot);
  return i == held_.end() ? 0 : i->second;
}

}  // namespace troupe::fleet
