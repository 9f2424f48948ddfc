// cpu_activity: /proc/stat as troupe reads it. Busy time on a CPU grows
// while this process keeps that CPU busy, and only there; CPUs outside the
// snapshots count nothing.
#define BOOST_TEST_MODULE cpu_activity_test
#include "runtime/services/process/cpu_activity.hpp"

#include <sched.h>

#include <boost/test/unit_test.hpp>
#include <chrono>

using namespace troupe;

namespace {

// The CPUs this process may run on.
std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  BOOST_REQUIRE(sched_getaffinity(0, sizeof set, &set) == 0);
  std::vector<int> out;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) out.push_back(cpu);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_cpu_is_read) {
  auto ticks = read_cpu_ticks();
  auto cpus = allowed_cpus();
  BOOST_REQUIRE(!cpus.empty());
  BOOST_CHECK_GT(ticks.busy.size(), static_cast<std::size_t>(cpus.back()));
  BOOST_CHECK_GT(cpu_tick_seconds(), 0.0);
  BOOST_CHECK_LE(cpu_tick_seconds(), 0.01);
}

BOOST_AUTO_TEST_CASE(busy_time_grows_on_the_cpu_kept_busy) {
  auto cpus = allowed_cpus();
  int cpu = cpus.front();
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  BOOST_REQUIRE(sched_setaffinity(0, sizeof one, &one) == 0);
  auto before = read_cpu_ticks();
  // Spin until the kernel has counted 10 ticks on that CPU (the event), or
  // fail after a generous bound.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  volatile std::uint64_t sink = 0;
  double busy = 0;
  while (busy < 10 * cpu_tick_seconds()) {
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                          "no busy time counted on cpu " << cpu);
    for (int i = 0; i < 1000000; ++i) sink = sink + static_cast<std::uint64_t>(i);
    busy = busy_seconds(before, read_cpu_ticks(), {cpu});
  }
  auto after = read_cpu_ticks();
  BOOST_CHECK_GE(busy_seconds(before, after, {}), busy);  // every CPU: at least that
  BOOST_CHECK_EQUAL(busy_seconds(before, after, {100000}), 0.0);  // not a CPU here
  BOOST_CHECK_EQUAL(busy_seconds(after, before, {cpu}), 0.0);     // never negative
}
