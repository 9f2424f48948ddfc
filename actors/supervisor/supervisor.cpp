#include "actors/supervisor/supervisor.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <deque>
#include <set>

#include "messages/atoms.hpp"
#include "messages/errors.hpp"
#include "messages/supervisor.hpp"

namespace troupe {

namespace {

// Internal messages (not in the type registry: no other node can send one).
// Child `id`'s wait for a resource (wait_for_resource) with epoch `epoch` is over.
struct resource_retry {
  std::string id;
  std::uint64_t epoch = 0;
};
// Child `child` did not stop within its shutdown time (stop epoch `epoch`).
struct shutdown_overdue {
  caf::actor_addr child;
  std::uint64_t epoch = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resource_retry& x) {
  return f(caf::meta::type_name("supervisor::resource_retry"), x.id, x.epoch);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, shutdown_overdue& x) {
  return f(caf::meta::type_name("supervisor::shutdown_overdue"), x.child, x.epoch);
}

using supervisor_impl = supervisor_actor::extend<caf::reacts_to<resource_retry>,
                                                 caf::reacts_to<shutdown_overdue>>;

// The backoff of a child that failed for a resource: 1 s, doubling, at most
// 30 s; it starts again at 1 s once the child ran for a minute.
constexpr caf::timespan first_resource_wait = std::chrono::seconds(1);
constexpr caf::timespan max_resource_wait = std::chrono::seconds(30);
constexpr caf::timespan resource_wait_reset = std::chrono::minutes(1);
enum class phase { running, restarting_all, shutting_down };

struct child_state {
  child_spec spec;
  caf::message args;
  caf::actor handle;
  child_status status = child_status::stopped;
  std::uint32_t restarts = 0;
  bool dynamic = false;
  std::uint64_t stop_epoch = 0;  // identifies the pending shutdown timeout
  bool link_exit_seen = false;   // its link's exit_msg arrived before its down_msg
  caf::actor_clock::time_point started;  // when it last started
  std::uint32_t resource_failures = 0;   // consecutive failures for a resource
  std::uint64_t wait_epoch = 0;          // identifies the pending resource_retry
};

struct supervisor_state {
  supervisor_flags flags;
  std::vector<child_state> children;  // start order
  std::deque<caf::actor_clock::time_point> restarts;
  phase current = phase::running;
  std::vector<std::size_t> stop_queue;  // next to stop at the back
  std::function<void()> after_stops;    // runs when stop_queue drained
  std::uint64_t epoch = 0;
  // Children whose down_msg arrived before their link's exit_msg: that exit_msg
  // is still on its way and must not be mistaken for a shutdown request.
  std::set<caf::actor_addr> departed;
  static inline const char* name = "troupe.supervisor";
};

using self_ptr = supervisor_impl::stateful_pointer<supervisor_state>;

// A child not started yet.
child_state new_child(child_spec spec, caf::message args, bool dynamic) {
  child_state c;
  c.spec = std::move(spec);
  c.args = std::move(args);
  c.dynamic = dynamic;
  return c;
}

void notify(self_ptr self, const char* event, const std::string& child) {
  if (self->state.flags.observer)
    self->state.flags.observer(self->state.flags.name, event, child);
}

// Starts child `c`; false when its start function gave no actor.
bool start(self_ptr self, child_state& c) {
  c.handle = c.spec.start(self->system(), c.args);
  if (!c.handle) {
    spdlog::error("supervisor {}: child {} failed to start", self->state.flags.name,
                  c.spec.id);
    notify(self, "child_failed_to_start", c.spec.id);
    c.status = child_status::stopped;
    return false;
  }
  self->link_to(c.handle);
  self->monitor(c.handle);
  c.status = child_status::running;
  c.link_exit_seen = false;
  c.started = self->clock().now();
  return true;
}

child_state* find(self_ptr self, const caf::actor_addr& addr) {
  for (auto& c : self->state.children)
    if (c.handle && c.handle.address() == addr) return &c;
  return nullptr;
}

void stop_next(self_ptr self);

// Stops the children at `indices` one at a time (in the given order), then
// calls `then`.
void stop_children(self_ptr self, std::vector<std::size_t> indices,
                   std::function<void()> then) {
  std::reverse(indices.begin(), indices.end());  // stop_queue pops from the back
  self->state.stop_queue = std::move(indices);
  self->state.after_stops = std::move(then);
  stop_next(self);
}

void stop_next(self_ptr self) {
  auto& st = self->state;
  while (!st.stop_queue.empty()) {
    auto& c = st.children[st.stop_queue.back()];
    if (c.status != child_status::running) {
      st.stop_queue.pop_back();
      continue;
    }
    c.status = child_status::stopping;
    c.stop_epoch = ++st.epoch;
    self->send_exit(c.handle, caf::exit_reason::user_shutdown);
    self->delayed_send(self, c.spec.shutdown,
                       shutdown_overdue{c.handle.address(), c.stop_epoch});
    return;  // continue when its down_msg arrives
  }
  if (auto then = std::move(st.after_stops)) {
    st.after_stops = nullptr;
    then();
  }
}

std::vector<std::size_t> running_in_reverse(self_ptr self) {
  std::vector<std::size_t> out;
  auto& cs = self->state.children;
  for (std::size_t i = cs.size(); i-- > 0;)
    if (cs[i].status == child_status::running) out.push_back(i);
  return out;
}

void remove_stopped_transients(self_ptr self) {
  auto& cs = self->state.children;
  cs.erase(
      std::remove_if(cs.begin(), cs.end(),
                     [](const child_state& c) {
                       return c.status == child_status::stopped &&
                              (c.dynamic || c.spec.restart == restart_policy::temporary);
                     }),
      cs.end());
}

// Stops everything and exits with `reason`.
void shut_down(self_ptr self, caf::error reason) {
  if (self->state.current == phase::shutting_down) return;
  self->state.current = phase::shutting_down;
  stop_children(self, running_in_reverse(self), [self, reason] { self->quit(reason); });
}

// Records a restart; false when the intensity is exceeded.
bool within_intensity(self_ptr self) {
  auto& st = self->state;
  auto now = self->clock().now();
  st.restarts.push_back(now);
  while (!st.restarts.empty() && now - st.restarts.front() > st.flags.period)
    st.restarts.pop_front();
  return st.restarts.size() <= st.flags.intensity;
}

void give_up(self_ptr self, const std::string& child) {
  spdlog::error(
      "supervisor {}: restart intensity exceeded ({} in {} ms) by {}; escalating",
      self->state.flags.name, self->state.restarts.size(),
      std::chrono::duration_cast<std::chrono::milliseconds>(self->state.flags.period)
          .count(),
      child);
  notify(self, "gave_up", child);
  shut_down(self, make_error(errc::supervisor_gave_up, self->state.flags.name));
}

void restart_all(self_ptr self) {
  auto& st = self->state;
  st.current = phase::restarting_all;
  stop_children(self, running_in_reverse(self), [self] {
    auto& st = self->state;
    remove_stopped_transients(self);
    for (auto& c : st.children) {
      if (!start(self, c)) return give_up(self, c.spec.id);
    }
    st.current = phase::running;
  });
}

// Restarts `c` now, as `strategy` says; escalates when it cannot start.
void restart_child(self_ptr self, child_state& c) {
  ++c.restarts;
  notify(self, "restart", c.spec.id);
  if (self->state.flags.strategy == restart_strategy::one_for_all)
    return restart_all(self);
  if (!start(self, c)) give_up(self, c.spec.id);
}

// `c` failed because a resource is unavailable (the store cannot write): a
// restart now would fail the same way, and burning the restart intensity on
// it would escalate a full disk into a node shutdown. So it waits, with a
// backoff that does not count against the intensity, and restarts then.
void wait_for_resource(self_ptr self, child_state& c, const caf::error& reason) {
  auto& st = self->state;
  if (self->clock().now() - c.started > resource_wait_reset) c.resource_failures = 0;
  auto wait = first_resource_wait;
  for (std::uint32_t i = 0; i < c.resource_failures && wait < max_resource_wait; ++i)
    wait *= 2;
  wait = std::min(wait, max_resource_wait);
  ++c.resource_failures;
  c.status = child_status::waiting;
  c.wait_epoch = ++st.epoch;
  spdlog::warn("supervisor {}: child {} exited ({}); restarting in {} ms", st.flags.name,
               c.spec.id, self->system().render(reason),
               std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
  notify(self, "resource_wait", c.spec.id);
  self->delayed_send(self, wait, resource_retry{c.spec.id, c.wait_epoch});
}

void on_child_down(self_ptr self, child_state& c, const caf::error& reason) {
  auto& st = self->state;
  bool asked_to_stop = c.status == child_status::stopping;
  if (!c.link_exit_seen) st.departed.insert(c.handle.address());
  c.status = child_status::stopped;
  c.handle = nullptr;
  if (asked_to_stop) {
    if (!st.stop_queue.empty()) st.stop_queue.pop_back();
    stop_next(self);
    return;
  }
  if (st.current != phase::running) return;  // being stopped or restarted anyway
  bool abnormal = reason && reason != caf::exit_reason::user_shutdown;
  bool restart = c.spec.restart == restart_policy::permanent ||
                 (c.spec.restart == restart_policy::transient && abnormal);
  auto id = c.spec.id;
  if (!restart) {
    remove_stopped_transients(self);
    return;
  }
  if (is(reason, errc::storage_unavailable)) return wait_for_resource(self, c, reason);
  c.resource_failures = 0;
  spdlog::warn("supervisor {}: child {} exited ({}); restarting", st.flags.name, id,
               self->system().render(reason));
  if (!within_intensity(self)) return give_up(self, id);
  restart_child(self, c);
}

supervisor_report own_report(self_ptr self) {
  auto& st = self->state;
  supervisor_report r;
  r.name = st.flags.name;
  r.strategy = st.flags.strategy;
  r.status = st.current == phase::running          ? supervisor_status::running
             : st.current == phase::restarting_all ? supervisor_status::restarting
                                                   : supervisor_status::shutting_down;
  r.intensity = st.flags.intensity;
  r.period_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(st.flags.period).count();
  r.recent_restarts = static_cast<std::uint32_t>(st.restarts.size());
  for (auto& c : st.children)
    r.children.push_back({c.spec.id, c.spec.type, c.spec.restart, c.status, c.restarts});
  return r;
}

caf::result<supervisor_report> describe(self_ptr self) {
  auto report = own_report(self);
  std::vector<supervisor_actor> subs;
  for (auto& c : self->state.children)
    if (c.spec.type == child_type::supervisor && c.status == child_status::running)
      subs.push_back(caf::actor_cast<supervisor_actor>(c.handle));
  if (subs.empty()) return report;
  auto rp = self->make_response_promise<supervisor_report>();
  auto pending = std::make_shared<std::size_t>(subs.size());
  auto acc = std::make_shared<supervisor_report>(std::move(report));
  auto done = [rp, pending, acc]() mutable {
    if (--*pending == 0) rp.deliver(std::move(*acc));
  };
  for (auto& sub : subs)
    self->request(sub, std::chrono::seconds(2), describe_atom::value)
        .then(
            [acc, done](supervisor_report& r) mutable {
              acc->subtree.push_back(std::move(r));
              done();
            },
            [done](caf::error&) mutable { done(); });
  return rp;
}

supervisor_impl::behavior_type supervisor(self_ptr self, supervisor_flags flags,
                                          std::vector<child_spec> specs) {
  auto& st = self->state;
  st.flags = std::move(flags);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    // A child's exit arrives through its link too; the down handler owns it.
    if (auto* c = find(self, msg.source)) {
      c->link_exit_seen = true;
      return;
    }
    if (self->state.departed.erase(msg.source) > 0) return;
    shut_down(self, msg.reason);
  });
  self->set_down_handler([self](caf::down_msg& msg) {
    if (auto* c = find(self, msg.source)) on_child_down(self, *c, msg.reason);
  });
  for (auto& spec : specs) {
    st.children.push_back(new_child(std::move(spec), caf::message{}, false));
    if (!start(self, st.children.back())) {
      give_up(self, st.children.back().spec.id);
      break;
    }
  }
  return {
      [self](describe_atom) { return describe(self); },
      [self](start_child_atom, const std::string& id,
             caf::message& args) -> caf::result<caf::actor> {
        auto& st = self->state;
        if (!st.flags.dynamic_child)
          return make_error(errc::invalid_argument,
                            st.flags.name + " has no dynamic children");
        if (st.current == phase::shutting_down) return make_error(errc::shutting_down);
        for (auto& c : st.children)
          if (c.spec.id == id && c.status != child_status::stopped)
            return make_error(errc::invalid_argument, "child " + id + " exists");
        auto spec = *st.flags.dynamic_child;
        spec.id = id;
        st.children.push_back(new_child(std::move(spec), std::move(args), true));
        auto& c = st.children.back();
        if (!start(self, c)) {
          st.children.pop_back();
          return make_error(errc::invalid_argument, "child " + id + " failed to start");
        }
        return c.handle;
      },
      [self](stop_child_atom, const std::string& id) -> caf::result<void> {
        auto& cs = self->state.children;
        for (std::size_t i = 0; i < cs.size(); ++i) {
          if (cs[i].spec.id != id) continue;
          if (cs[i].status == child_status::running) {
            cs[i].spec.restart =
                restart_policy::temporary;  // no restart, removed once down
            self->send_exit(cs[i].handle, caf::exit_reason::user_shutdown);
          } else if (cs[i].status == child_status::waiting) {
            cs[i].spec.restart = restart_policy::temporary;
            cs[i].status = child_status::stopped;
            remove_stopped_transients(self);
          }
          return caf::unit;
        }
        return make_error(errc::not_found, "no child " + id);
      },
      [self](resource_retry& m) {
        if (self->state.current != phase::running) return;
        for (auto& c : self->state.children) {
          if (c.spec.id != m.id || c.status != child_status::waiting ||
              c.wait_epoch != m.epoch)
            continue;
          c.status = child_status::stopped;
          return restart_child(self, c);
        }
      },
      [self](shutdown_overdue& m) {
        auto* c = find(self, m.child);
        if (c != nullptr && c->status == child_status::stopping &&
            c->stop_epoch == m.epoch) {
          spdlog::warn(
              "supervisor {}: child {} did not stop within {} ms; killing",
              self->state.flags.name, c->spec.id,
              std::chrono::duration_cast<std::chrono::milliseconds>(c->spec.shutdown)
                  .count());
          self->send_exit(c->handle, caf::exit_reason::kill);
        }
      },
  };
}

}  // namespace

supervisor_actor spawn_supervisor(caf::actor_system& sys, supervisor_flags flags,
                                  std::vector<child_spec> children) {
  return sys.spawn(supervisor, std::move(flags), std::move(children));
}

child_spec supervisor_child(supervisor_flags flags, std::vector<child_spec> children,
                            caf::timespan shutdown) {
  child_spec spec;
  spec.id = flags.name;
  spec.type = child_type::supervisor;
  spec.shutdown = shutdown;
  spec.start = [flags = std::move(flags), children = std::move(children)](
                   caf::actor_system& sys, const caf::message&) {
    return caf::actor_cast<caf::actor>(spawn_supervisor(sys, flags, children));
  };
  return spec;
}

}  // namespace troupe
