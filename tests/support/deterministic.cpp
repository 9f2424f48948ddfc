#include "tests/support/deterministic.hpp"

#include "messages/registry.hpp"

namespace troupe::testing {

deterministic::deterministic() {
  cfg_.set("scheduler.policy", caf::atom("testing"));
  cfg_.set("logger.inline-output", true);
  add_message_types(cfg_);
  sys_ = std::make_unique<caf::actor_system>(cfg_);
  sched_ = &dynamic_cast<caf::scheduler::test_coordinator&>(sys_->scheduler());
}

deterministic::~deterministic() {
  run();
}

void deterministic::run() {
  sched_->run();
}

void deterministic::advance_time(caf::timespan d) {
  sched_->advance_time(d);
  run();
}

}  // namespace troupe::testing
