// A CAF actor system on the deterministic test scheduler ('testing' policy):
// messages run only when a test calls run(), time moves only when it calls
// advance_time(). For actor tests where ordering matters.
#pragma once

#include <caf/all.hpp>
#include <memory>
#include <optional>

namespace troupe::testing {

class deterministic {
 public:
  deterministic();
  ~deterministic();

  caf::actor_system& sys() { return *sys_; }
  caf::scheduler::test_coordinator& sched() { return *sched_; }

  // Runs every pending message and due timeout until nothing is left.
  void run();
  // Moves the clock forward by `d`, then runs.
  void advance_time(caf::timespan d);

  // Sends `xs...` to `dest` as a request and returns the reply after run();
  // nullopt on an error reply (stored in last_error).
  template <class T, class Handle, class... Ts>
  std::optional<T> request(const Handle& dest, Ts&&... xs) {
    auto out = std::make_shared<std::optional<T>>();
    auto err = std::make_shared<caf::error>();
    sys_->spawn([=](caf::event_based_actor* self) {
      self->request(dest, caf::infinite, xs...)
          .then([=](T& x) { *out = std::move(x); }, [=](caf::error& e) { *err = e; });
    });
    run();
    last_error = *err;
    return *out;
  }

  caf::error last_error;

 private:
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::scheduler::test_coordinator* sched_;
};

}  // namespace troupe::testing
