// slot_allocator: a pool's runner slots. A new runner takes the smallest
// slot no live runner holds, so names stay small and replacements reuse the
// slots of the runners they replace. Adoption after a restart may hold any
// slot, and may hold one twice (two generations of one slot, both still at
// the provider). Every operation is O(log n) in the number of slots held,
// amortized, whatever the pool's size (issue: scale-ups must not cost
// O(n^2)).
#pragma once

#include <cstdint>
#include <map>
#include <set>

namespace troupe::fleet {

class slot_allocator {
 public:
  // Takes the smallest free slot.
  std::uint32_t take();
  // Holds `slot` once more (adoption), free or not.
  void hold(std::uint32_t slot);
  // Releases one hold of `slot`; unknown slots are ignored.
  void release(std::uint32_t slot);
  // How many holds `slot` has.
  std::uint32_t holds(std::uint32_t slot) const;

 private:
  // Every slot below dense_end_ is either held (in held_) or in free_;
  // slots at or above it are held only by adoption (in held_, not in free_).
  std::uint32_t dense_end_ = 0;
  std::set<std::uint32_t> free_;
  std::map<std::uint32_t, std::uint32_t> held_;  // slot -> holds (> 0)
};

}  // namespace troupe::fleet
