// slot_allocator: a new runner takes the smallest slot no live runner holds,
// also around slots held by adoption (above the slots handed out, and twice).
#define BOOST_TEST_MODULE slot_allocator_test
#include "actors/fleet/slot_allocator.hpp"

#include <boost/test/unit_test.hpp>
#include <random>
#include <set>

using namespace troupe::fleet;

BOOST_AUTO_TEST_CASE(takes_the_smallest_free_slot) {
  slot_allocator a;
  BOOST_CHECK_EQUAL(a.take(), 0u);
  BOOST_CHECK_EQUAL(a.take(), 1u);
  BOOST_CHECK_EQUAL(a.take(), 2u);
  a.release(1);
  a.release(0);
  BOOST_CHECK_EQUAL(a.take(), 0u);
  BOOST_CHECK_EQUAL(a.take(), 1u);
  BOOST_CHECK_EQUAL(a.take(), 3u);
  a.release(7);  // never held: ignored
  BOOST_CHECK_EQUAL(a.holds(7), 0u);
}

BOOST_AUTO_TEST_CASE(steps_over_adopted_slots_and_counts_double_holds) {
  slot_allocator a;
  a.hold(1);
  a.hold(1);  // two generations of slot 1 still at the provider
  a.hold(3);
  BOOST_CHECK_EQUAL(a.take(), 0u);
  BOOST_CHECK_EQUAL(a.take(), 2u);
  BOOST_CHECK_EQUAL(a.take(), 4u);
  a.release(1);
  BOOST_CHECK_EQUAL(a.holds(1), 1u);
  BOOST_CHECK_EQUAL(a.take(), 5u);  // 1 is still held once
  a.release(1);
  BOOST_CHECK_EQUAL(a.take(), 1u);
}

// Against the definition (the smallest slot with no hold), under random
// takes, holds and releases.
BOOST_AUTO_TEST_CASE(agrees_with_a_linear_search) {
  slot_allocator a;
  std::multiset<std::uint32_t> held;
  std::mt19937 rng(18);
  for (int step = 0; step < 20000; ++step) {
    auto roll = rng() % 10;
    if (roll < 5) {
      std::uint32_t want = 0;
      while (held.count(want) > 0) ++want;
      BOOST_REQUIRE_EQUAL(a.take(), want);
      held.insert(want);
    } else if (roll < 6) {
      auto slot = static_cast<std::uint32_t>(rng() % 200);
      a.hold(slot);
      held.insert(slot);
    } else if (!held.empty()) {
      auto it = std::next(held.begin(), static_cast<long>(rng() % held.size()));
      a.release(*it);
      held.erase(it);
    }
  }
}
