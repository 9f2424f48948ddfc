// Tests of runtime/services/process/host_lock and its use by the process service: an
// exclusive lease is alone on the host, shared leases go together, requests
// are served in arrival order, a dropped request never runs; real processes
// that measure never overlap anything, waiting processes can be terminated,
// and CPU affinity reaches the child. Nothing asserts on elapsed time.
#define BOOST_TEST_MODULE host_lock
#include "runtime/services/process/host_lock.hpp"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "runtime/services/metrics/metrics.hpp"
#include "runtime/services/process/process_service.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace std::chrono_literals;

namespace {

constexpr auto liveness = 60s;

// Records which requests were granted, in order.
struct grants {
  std::vector<int> order;
  std::function<void()> note(int id) {
    return [this, id] { order.push_back(id); };
  }
};

// Waits (up to 60 s) until `pred` holds; the lock's state changes on other
// threads, so this is an event wait, not a delay.
template <class Pred>
bool eventually(Pred pred) {
  auto until = std::chrono::steady_clock::now() + liveness;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

process_result run(process_service& service, process_spec spec) {
  auto done = std::make_shared<std::promise<process_result>>();
  auto future = done->get_future();
  service.start(std::move(spec),
                [done](process_result r) { done->set_value(std::move(r)); });
  BOOST_REQUIRE_MESSAGE(future.wait_for(liveness) == std::future_status::ready,
                        "no result within 60 s");
  return future.get();
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_exclusive_lease_is_alone) {
  host_lock lock;
  grants g;
  auto e1 = lock.acquire(host_use::exclusive, "e1", g.note(1));
  auto s2 = lock.acquire(host_use::shared, "s2", g.note(2));
  auto e3 = lock.acquire(host_use::exclusive, "e3", g.note(3));
  BOOST_TEST(g.order == std::vector<int>({1}));
  auto st = lock.state();
  BOOST_TEST_REQUIRE(st.held.size() == 1u);
  BOOST_TEST(st.held[0].holder == "e1");
  BOOST_TEST_REQUIRE(st.waiting.size() == 2u);
  BOOST_TEST(st.waiting[0].holder == "s2");
  lock.release(e1);
  BOOST_TEST(g.order == std::vector<int>({1, 2}));
  lock.release(s2);
  BOOST_TEST(g.order == std::vector<int>({1, 2, 3}));
  lock.release(e3);
  BOOST_TEST(lock.state().held.empty());
}

BOOST_AUTO_TEST_CASE(
    shared_leases_go_together_and_a_waiting_measurement_holds_back_later_ones) {
  host_lock lock;
  grants g;
  auto s1 = lock.acquire(host_use::shared, "build a", g.note(1));
  auto s2 = lock.acquire(host_use::shared, "build b", g.note(2));
  auto e3 = lock.acquire(host_use::exclusive, "suite", g.note(3));
  auto s4 = lock.acquire(host_use::shared, "build c", g.note(4));
  BOOST_TEST(g.order == std::vector<int>({1, 2}));
  lock.release(s1);
  BOOST_TEST(g.order == std::vector<int>({1, 2}));  // s2 still holds the host
  lock.release(s2);
  BOOST_TEST(g.order == std::vector<int>({1, 2, 3}));
  lock.release(e3);
  BOOST_TEST(g.order == std::vector<int>({1, 2, 3, 4}));
  lock.release(s4);
}

BOOST_AUTO_TEST_CASE(a_released_waiting_request_never_runs) {
  host_lock lock;
  grants g;
  auto e1 = lock.acquire(host_use::exclusive, "e1", g.note(1));
  auto e2 = lock.acquire(host_use::exclusive, "e2", g.note(2));
  auto s3 = lock.acquire(host_use::shared, "s3", g.note(3));
  lock.release(e2);
  lock.release(e1);
  BOOST_TEST(g.order == std::vector<int>({1, 3}));
  lock.release(s3);
  lock.release(s3);  // again: ignored
  lock.release(12345);
  auto st = lock.state();
  BOOST_TEST(st.held.empty());
  BOOST_TEST(st.waiting.empty());
}

BOOST_AUTO_TEST_CASE(a_disabled_lock_grants_everything_at_once) {
  host_lock lock{false};
  grants g;
  lock.acquire(host_use::exclusive, "e1", g.note(1));
  lock.acquire(host_use::exclusive, "e2", g.note(2));
  lock.acquire(host_use::shared, "s3", g.note(3));
  BOOST_TEST(g.order == std::vector<int>({1, 2, 3}));
  BOOST_TEST(lock.state().held.empty());
}

BOOST_AUTO_TEST_CASE(metrics_count_held_and_waiting_leases) {
  metrics_registry registry;
  host_lock lock{true, &registry};
  auto e1 = lock.acquire(host_use::exclusive, "e1", {});
  auto s2 = lock.acquire(host_use::shared, "s2", {});
  auto text = registry.render();
  BOOST_TEST(text.find("troupe_host_lock_held{use=\"exclusive\"} 1") != std::string::npos,
             text);
  BOOST_TEST(text.find("troupe_host_lock_waiting{use=\"shared\"} 1") != std::string::npos,
             text);
  lock.release(e1);
  text = registry.render();
  BOOST_TEST(text.find("troupe_host_lock_held{use=\"exclusive\"} 0") != std::string::npos,
             text);
  BOOST_TEST(text.find("troupe_host_lock_held{use=\"shared\"} 1") != std::string::npos,
             text);
  BOOST_TEST(text.find("troupe_host_lock_waiting{use=\"shared\"} 0") != std::string::npos,
             text);
  lock.release(s2);
}

// Threads take leases at random; every holder checks, while it holds, that an
// exclusive lease is alone.
BOOST_AUTO_TEST_CASE(under_contention_an_exclusive_lease_is_never_shared) {
  host_lock lock;
  std::atomic<int> exclusive{0}, shared{0}, violations{0}, done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      for (int i = 0; i < 300; ++i) {
        auto use = rng() % 3 == 0 ? host_use::exclusive : host_use::shared;
        std::promise<void> granted;
        auto ticket = lock.acquire(use, "t", [&granted] { granted.set_value(); });
        granted.get_future().wait();
        auto& mine = use == host_use::exclusive ? exclusive : shared;
        mine.fetch_add(1);
        if (exclusive.load() > 1 || (exclusive.load() == 1 && shared.load() > 0))
          violations.fetch_add(1);
        std::this_thread::yield();
        if (exclusive.load() > 1 || (exclusive.load() == 1 && shared.load() > 0))
          violations.fetch_add(1);
        mine.fetch_sub(1);
        lock.release(ticket);
        done.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(done.load() == 1800);
  BOOST_TEST(violations.load() == 0);
}

// Real processes: each measurement claims a marker file that must not exist
// (noclobber) and fails when another measurement's or a build's marker is
// there; builds mark themselves and fail when a measurement's marker is.
BOOST_AUTO_TEST_CASE(processes_that_measure_never_overlap_anything) {
  troupe::testing::temp_dir dir;
  host_lock lock;
  process_service service{&lock};
  auto measure =
      "set -C; : > measuring || exit 3; ls | grep -q '^building' && exit 4; sleep 0.05; "
      "ls | grep -q '^building' && exit 4; rm measuring";
  auto build =
      "[ -e measuring ] && exit 5; : > building.$$; sleep 0.05; [ -e measuring ] && exit "
      "5; "
      "rm building.$$";
  std::vector<std::future<process_result>> results;
  for (int i = 0; i < 12; ++i) {
    process_spec spec;
    spec.argv = {"/bin/sh", "-c", i % 3 == 0 ? build : measure};
    spec.cwd = dir.path();
    spec.host = i % 3 == 0 ? host_use::shared : host_use::exclusive;
    auto done = std::make_shared<std::promise<process_result>>();
    results.push_back(done->get_future());
    service.start(std::move(spec),
                  [done](process_result r) { done->set_value(std::move(r)); });
  }
  for (auto& f : results) {
    BOOST_REQUIRE(f.wait_for(liveness) == std::future_status::ready);
    auto r = f.get();
    BOOST_TEST(r.ok(), "exit " << r.exit_code << " " << r.error << " " << r.err);
  }
  BOOST_TEST(eventually([&] { return lock.state().held.empty(); }));
}

BOOST_AUTO_TEST_CASE(a_process_waiting_for_the_host_can_be_terminated) {
  host_lock lock;
  process_service service{&lock};
  auto measuring = lock.acquire(host_use::exclusive, "a benchmark", {});
  auto done = std::make_shared<std::promise<process_result>>();
  auto future = done->get_future();
  process_spec spec;
  spec.argv = {"/bin/true"};
  spec.host_holder = "workflow task";
  auto id =
      service.start(spec, [done](process_result r) { done->set_value(std::move(r)); });
  BOOST_TEST_REQUIRE(eventually([&] { return lock.state().waiting.size() == 1; }));
  BOOST_TEST(lock.state().waiting[0].holder == "workflow task");
  BOOST_TEST(service.running() == 1u);
  service.terminate(id);
  BOOST_REQUIRE(future.wait_for(liveness) == std::future_status::ready);
  auto r = future.get();
  BOOST_TEST(r.cancelled);
  BOOST_TEST(r.spawn_failed);
  BOOST_TEST(r.error.find("waiting for the host") != std::string::npos, r.error);
  BOOST_TEST(lock.state().waiting.empty());
  lock.release(measuring);
}

BOOST_AUTO_TEST_CASE(a_process_without_a_use_ignores_the_lock) {
  host_lock lock;
  process_service service{&lock};
  auto measuring = lock.acquire(host_use::exclusive, "a benchmark", {});
  process_spec spec;
  spec.argv = {"/bin/true"};
  spec.host = std::nullopt;  // a long-lived runner process
  BOOST_TEST(run(service, spec).ok());
  lock.release(measuring);
}

BOOST_AUTO_TEST_CASE(
    a_waiting_process_starts_when_the_measurement_ends_and_releases_after_its_report) {
  host_lock lock;
  process_service service{&lock};
  auto measuring = lock.acquire(host_use::exclusive, "a benchmark", {});
  auto done = std::make_shared<std::promise<process_result>>();
  auto future = done->get_future();
  process_spec spec;
  spec.argv = {"/bin/echo", "ran"};
  service.start(spec, [done](process_result r) { done->set_value(std::move(r)); });
  BOOST_TEST_REQUIRE(eventually([&] { return lock.state().waiting.size() == 1; }));
  lock.release(measuring);
  BOOST_REQUIRE(future.wait_for(liveness) == std::future_status::ready);
  BOOST_TEST(future.get().out == "ran\n");
  // The lease ends once the process is reported: a measurement gets the host.
  std::promise<void> granted;
  auto next = lock.acquire(host_use::exclusive, "next benchmark",
                           [&granted] { granted.set_value(); });
  BOOST_TEST((granted.get_future().wait_for(liveness) == std::future_status::ready));
  lock.release(next);
}

BOOST_AUTO_TEST_CASE(cpu_affinity_reaches_the_child) {
  process_service service;
  process_spec spec;
  spec.argv = {"/bin/grep", "Cpus_allowed_list", "/proc/self/status"};
  spec.cpus = {0};
  auto r = run(service, spec);
  BOOST_TEST_REQUIRE(r.ok(), r.error);
  BOOST_TEST(r.out == "Cpus_allowed_list:\t0\n");
  spec.cpus = {4095};
  r = run(service, spec);
  BOOST_TEST(r.spawn_failed);
  BOOST_TEST(r.error.find("CPU 4095 is not available") != std::string::npos, r.error);
}
