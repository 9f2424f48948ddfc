// supervisor: an OTP-style supervisor for CAF 0.17 (which has monitors and
// links, but no supervisors). One behaviour, used for every level of the tree:
// node root → subsystem supervisors → per-pool / per-execution actors.
//
// - Child specs name how to start a child and when to restart it:
//   permanent (always), transient (only after an abnormal exit), temporary
//   (never).
// - Strategies: one_for_one restarts the child that died; one_for_all stops
//   the others (in reverse start order) and restarts all in start order.
// - Restart intensity: more than `intensity` restarts within `period` and the
//   supervisor gives up: it stops its children and exits with
//   errc::supervisor_gave_up, which its own parent sees as a child failure
//   (escalation).
// - Resource failures are not bugs: a child that exits with
//   errc::storage_unavailable is restarted after a backoff (1 s doubling to
//   30 s, back to 1 s once it ran for a minute) that does not count against
//   the intensity; meanwhile its status is "waiting". A full disk so never
//   escalates into a node shutdown; the child comes back when the disk does.
// - Ordered shutdown: on an exit message from outside (its parent, the node),
//   children stop one at a time in reverse start order; each gets
//   `shutdown` to exit after exit_reason::user_shutdown, then is killed.
// - Dynamic children (OTP's simple_one_for_one): with a `dynamic_child`
//   template, `start_child` adds children at run time.
//
// Protocol: supervisor_actor in messages/supervisor.hpp (restart_policy,
// restart_strategy and child_type are there too: reports carry them).
// Children are linked to and monitored by their supervisor; their handles
// are lifetime handles (caf::actor), whatever their protocols.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/message.hpp>
#include <caf/timespan.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "messages/supervisor.hpp"

namespace troupe {

// Starts a child: spawns it and returns its handle without blocking. `args`
// are the start_child arguments for dynamic children, empty otherwise. An
// invalid handle means the start failed.
using child_start =
    std::function<caf::actor(caf::actor_system& sys, const caf::message& args)>;

struct child_spec {
  std::string id;
  child_start start;
  restart_policy restart = restart_policy::permanent;
  child_type type = child_type::worker;
  // Time a child gets to exit after user_shutdown before it is killed.
  caf::timespan shutdown = std::chrono::seconds(5);
};

// Called on supervision events: "restart", "resource_wait", "gave_up",
// "child_failed_to_start".
using supervisor_observer = std::function<void(
    const std::string& supervisor, const std::string& event, const std::string& child)>;

struct supervisor_flags {
  std::string name;
  restart_strategy strategy = restart_strategy::one_for_one;
  std::uint32_t intensity = 3;  // restarts tolerated within `period`
  caf::timespan period = std::chrono::seconds(5);
  std::optional<child_spec> dynamic_child;  // template for start_child
  supervisor_observer observer;             // optional
};

// Spawns a supervisor that starts `children` in order.
supervisor_actor spawn_supervisor(caf::actor_system& sys, supervisor_flags flags,
                                  std::vector<child_spec> children);

// Wraps a supervisor as a child spec of another supervisor.
child_spec supervisor_child(supervisor_flags flags, std::vector<child_spec> children,
                            caf::timespan shutdown = std::chrono::seconds(30));

}  // namespace troupe
